import { type AuditDraft, appendAuditRecord, auditFailureLevel, type Operation } from "../src/audit/index.js";
import type { ResourceEstimate, ResourceInput } from "../src/estimate/types.js";
import type { AuditContext } from "../src/policy/audit-draft.js";
import { type OrgSpend, type StackRef, stackTeamSpend } from "../src/policy/org-spend.js";
import type { Rule } from "../src/policy/rule.js";
import { gpuOrgBudget } from "../src/policy/rules/index.js";
import { type GateSession, parseRuleConfig } from "../src/policy/session.js";
import type { Verdict } from "../src/policy/verdict.js";
import {
  appendStoreAuditRecord,
  claimStackSpend,
  readOtherStacksSpend,
  recordStackSpend,
  StoreConnection,
  StoreFailure,
  StoreSettingError,
  storeConfigured,
  storeFailureLevel,
  storeSettings,
} from "../src/store/index.js";
import type { PackFinding, PolicyHooks } from "./policy-from-rule.js";

/**
 * The pack's front door to the shared store (COMPUTEGUARD_STORE_URL): audit records go to its
 * table instead of the local file, and gpu-org-budget judges each resource against the other
 * stacks' spend in its ledger. Without the variable nothing here runs and `pg` is never loaded.
 */

let connection: StoreConnection | undefined;

/** The pack's one pool; a malformed setting throws StoreSettingError naming the variable. */
function store(): StoreConnection {
  connection ??= new StoreConnection(storeSettings());
  return connection;
}

export type AppendOutcome = { ok: true } | { ok: false; reason: string; level: "advisory" | "mandatory" };

/** Writes one decision to the store when there is one, else to the local audit log. */
export async function appendDecision(draft: AuditDraft, operation: Operation): Promise<AppendOutcome> {
  if (!storeConfigured()) {
    const result = await appendAuditRecord(draft);
    return result.ok ? result : { ok: false, reason: result.reason, level: auditFailureLevel(operation) };
  }
  let reason: string;
  try {
    const result = await appendStoreAuditRecord(store(), draft);
    if (result.ok) return result;
    reason = result.reason;
  } catch (error) {
    if (!(error instanceof StoreSettingError)) throw error;
    reason = error.message;
  }
  return { ok: false, reason: `audit store: ${reason}`, level: storeFailureLevel(operation) };
}

/** gpu-org-budget's hooks when a store is configured; none otherwise (the rule then does nothing). */
export function storeHooks(rule: Rule, session: GateSession, audit: () => AuditContext): PolicyHooks {
  if (rule !== gpuOrgBudget || !storeConfigured()) return {};
  return new PackLedger(session, audit, store).hooks();
}

type Env = Readonly<Record<string, string | undefined>>;
type Judgement = { verdicts: Verdict[]; findings: PackFinding[] };

/**
 * In an update, each priced resource's verdict and this stack's claim on the budget are one
 * transaction under the organisation's lock, and AnalyzeStack records what the stack now spends.
 * A preview reads the other stacks' spend once and never writes.
 */
export class PackLedger {
  /** Every priced resource this update has seen, by URN: the running projection it claims. */
  private readonly seen = new Map<string, ResourceEstimate>();
  /** One ledger transaction at a time from this process, so claims land in the order they grew. */
  private queue: Promise<unknown> = Promise.resolve();
  private previewSpend: Promise<OrgSpend> | undefined;

  constructor(
    private readonly session: GateSession,
    private readonly audit: () => AuditContext,
    private readonly store: () => StoreConnection,
    private readonly env: Env = process.env,
  ) {}

  hooks(): PolicyHooks {
    return {
      judgeResource: (level, input, config, judge) => this.resource(level, input, config, judge),
      judgeStack: (level, inputs, config, judge) => this.stack(level, inputs, config, judge),
    };
  }

  async resource(
    level: "advisory" | "mandatory",
    input: ResourceInput,
    rawConfig: unknown,
    judge: () => Verdict[],
  ): Promise<Judgement> {
    if (!this.session.isCandidate(input)) return { verdicts: judge(), findings: [] };
    const config = parseRuleConfig(gpuOrgBudget, rawConfig);
    const estimate = this.session.estimate(input);
    if (!estimate.monthly) return { verdicts: judge(), findings: [] };
    this.seen.set(input.urn, estimate);
    const ctx = this.audit();
    return this.guarded(ctx.operation, level, input.urn, async () => {
      if (ctx.operation !== "update") return this.judgeWith(await this.readForPreview(ctx), judge);
      const projection = stackTeamSpend(this.seen.values(), config.tagKey);
      const ttlSeconds = storeSettings(this.env).claimTtlSeconds;
      return this.serially(() =>
        claimStackSpend(
          this.store(),
          stackRef(ctx),
          projection,
          { packVersion: ctx.pack.version, ttlSeconds },
          (spend) => {
            const verdicts = this.judgeWith(spend, judge);
            const blocks = level === "mandatory" && verdicts.some((v) => v.decision === "blocked");
            // A blocked resource is not created: claiming it would hold budget no one spends.
            return { result: verdicts, claim: !blocks };
          },
        ),
      );
    });
  }

  async stack(
    level: "advisory" | "mandatory",
    inputs: ResourceInput[],
    rawConfig: unknown,
    judge: () => Verdict[],
  ): Promise<Judgement> {
    const config = parseRuleConfig(gpuOrgBudget, rawConfig);
    const ctx = this.audit();
    return this.guarded(ctx.operation, level, undefined, async () => {
      if (ctx.operation !== "update") return this.judgeWith(await this.readForPreview(ctx), judge);
      // AnalyzeStack of an update runs once its resources exist: this is what the stack now spends.
      const projection = stackTeamSpend(this.session.estimateComplete(inputs).resources, config.tagKey);
      return this.serially(() =>
        recordStackSpend(
          this.store(),
          stackRef(ctx),
          projection,
          { packVersion: ctx.pack.version },
          (spend) => this.judgeWith(spend, judge),
        ),
      );
    });
  }

  private judgeWith(spend: OrgSpend, judge: () => Verdict[]): Verdict[] {
    this.session.context.orgSpend = spend;
    return judge();
  }

  /** A preview judges every resource against the same picture, read once. */
  private readForPreview(ctx: AuditContext): Promise<OrgSpend> {
    this.previewSpend ??= readOtherStacksSpend(this.store(), stackRef(ctx)).catch((error: unknown) => {
      this.previewSpend = undefined;
      throw error;
    });
    return this.previewSpend;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A store that is unreachable, slow or misconfigured is a finding, never a crash or a hang:
   * mandatory in an update (nothing deploys unbudgeted) unless COMPUTEGUARD_STORE_ON_FAILURE=warn
   * or the policy itself only advises; advisory in a preview.
   */
  private async guarded(
    operation: Operation,
    level: "advisory" | "mandatory",
    urn: string | undefined,
    work: () => Promise<Verdict[]>,
  ): Promise<Judgement> {
    try {
      return { verdicts: await work(), findings: [] };
    } catch (error) {
      if (!(error instanceof StoreFailure || error instanceof StoreSettingError)) throw error;
      const enforcementLevel = level === "advisory" ? "advisory" : storeFailureLevel(operation, this.env);
      const message = `the organization's spend ledger could not be ${operation === "update" ? "updated" : "read"}, so this ${urn ? "resource" : "stack"} is not budgeted across stacks: ${error.message}`;
      return { verdicts: [], findings: [{ message, ...(urn ? { urn } : {}), enforcementLevel }] };
    }
  }
}

function stackRef(ctx: AuditContext): StackRef {
  return { organization: ctx.organization, project: ctx.project, stack: ctx.stack };
}
