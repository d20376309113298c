import { failureLevel } from "../src/audit/failure-policy.js";
import type { Operation } from "../src/audit/index.js";
import type { ResourceEstimate, ResourceInput } from "../src/estimate/types.js";
import type { AuditContext } from "../src/policy/audit-draft.js";
import { type OrgSpend, type StackRef, stackTeamSpend } from "../src/policy/org-spend.js";
import type { Rule } from "../src/policy/rule.js";
import { gpuOrgBudget, RULES } from "../src/policy/rules/index.js";
import { type GateSession, parseRuleConfig } from "../src/policy/session.js";
import type { Verdict } from "../src/policy/verdict.js";
import {
  claimStackSpend,
  type FailureModes,
  readOtherStacksSpend,
  reclaimStackSpend,
  recordStackSpend,
  type StoreConnection,
  StoreFailure,
  StoreSettingError,
  storeConfigured,
  storeFailureLevel,
  storeSettings,
} from "../src/store/index.js";
import type { PackFinding, PolicyHooks } from "./policy-from-rule.js";
import { packStore } from "./store-connection.js";

/**
 * The pack's front door to the spend ledger (COMPUTEGUARD_STORE_URL): gpu-org-budget judges each
 * resource against the other stacks' spend, an update claims its own, and a resource another
 * policy blocks gives its share of the claim back. Without the variable nothing here runs and `pg`
 * is never loaded. (Audit records reach the store through policypack/audit.ts.)
 */

/** The pack's ledger when a store is configured; undefined otherwise (gpu-org-budget then says it has none). */
export function packLedger(
  session: GateSession,
  audit: () => AuditContext,
  failureModes?: FailureModes,
  claimTtlSeconds?: () => number,
): PackLedger | undefined {
  return storeConfigured()
    ? new PackLedger(session, audit, packStore, process.env, failureModes, claimTtlSeconds)
    : undefined;
}

/**
 * gpu-org-budget judges inside the ledger's transactions; every policy's mandatory block (an
 * audit record that cannot be written included) reaches the claim. The SDK runs the policies of
 * one Analyze in RULES order, so a policy before gpu-org-budget blocks ahead of its claim and
 * gpu-org-budget or one after it blocks what may already be claimed.
 */
export function ledgerHooks(rule: Rule, ledger: PackLedger | undefined): PolicyHooks {
  if (!ledger) return {};
  const ahead = RULES.indexOf(rule) < RULES.findIndex((r) => r.readsOrgSpend);
  const onBlocked = (urn: string) => ledger.blocked(urn, ahead ? "before-claim" : "after-claim");
  return rule.readsOrgSpend ? { ...ledger.hooks(), onBlocked } : { onBlocked };
}

type Env = Readonly<Record<string, string | undefined>>;
type Judgement = { verdicts: Verdict[]; findings: PackFinding[] };

/**
 * In an update, each priced resource's verdict and this stack's claim on the budget are one
 * transaction under the organisation's lock, and AnalyzeStack records what the stack now spends.
 * A resource any policy blocks (mandatory) is never created: it leaves the claim at once, so it
 * holds no budget; what passed before it may exist and stays claimed until AnalyzeStack records
 * the stack or the claim lapses. A preview reads the other stacks' spend once and never writes.
 */
export class PackLedger {
  /** Every priced resource this update may create, by URN: the running projection it claims. */
  private readonly seen = new Map<string, ResourceEstimate>();
  /** Resources a policy ahead of gpu-org-budget blocked in the Analyze under way: not to be claimed. */
  private readonly blockedAhead = new Set<string>();
  /** The team tag of the last claim, to rebuild it without a blocked resource. */
  private claimedBy: string | undefined;
  /** One ledger transaction at a time from this process, so claims land in the order they grew. */
  private queue: Promise<unknown> = Promise.resolve();
  private previewSpend: Promise<OrgSpend> | undefined;

  constructor(
    private readonly session: GateSession,
    private readonly audit: () => AuditContext,
    private readonly store: () => StoreConnection,
    private readonly env: Env = process.env,
    /** The settings' failure modes; without them COMPUTEGUARD_STORE_ON_FAILURE is read. */
    private readonly failureModes?: FailureModes,
    /** The settings' claim lifetime; without it COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS is read. */
    private readonly claimTtlSeconds: () => number = () => storeSettings(env).claimTtlSeconds,
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
    const alreadyBlocked = this.blockedAhead.delete(input.urn);
    if (!this.session.isCandidate(input)) return { verdicts: judge(), findings: [] };
    const config = parseRuleConfig(gpuOrgBudget, rawConfig);
    const estimate = this.session.estimate(input);
    if (!estimate.monthly) return { verdicts: judge(), findings: [] };
    if (alreadyBlocked) this.seen.delete(input.urn);
    else this.seen.set(input.urn, estimate);
    const ctx = this.audit();
    return this.guarded(ctx.operation, level, input.urn, async () => {
      if (ctx.operation !== "update") return this.judgeWith(await this.readForPreview(ctx), judge);
      const projection = stackTeamSpend(this.seen.values(), config.tagKey);
      const ttlSeconds = this.claimTtlSeconds();
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
            if (blocks) this.seen.delete(input.urn);
            const claim = !blocks && !alreadyBlocked;
            if (claim) this.claimedBy = config.tagKey;
            return { result: verdicts, claim };
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

  /**
   * A policy blocked this resource (mandatory) in an update: the engine will not create it, so it
   * leaves the running projection. Ahead of gpu-org-budget's claim it is simply not claimed; after
   * it, the claim that counted it is replaced at once. A store that fails here leaves the larger
   * claim to lapse (conservative: the update is blocked anyway).
   */
  async blocked(urn: string, when: "before-claim" | "after-claim"): Promise<void> {
    if (this.audit().operation !== "update") return;
    if (when === "before-claim") {
      this.blockedAhead.add(urn);
      return;
    }
    if (!this.seen.delete(urn) || this.claimedBy === undefined) return;
    const ctx = this.audit();
    const projection = stackTeamSpend(this.seen.values(), this.claimedBy);
    await this.serially(async () => {
      const ttlSeconds = this.claimTtlSeconds();
      await reclaimStackSpend(this.store(), stackRef(ctx), projection, {
        packVersion: ctx.pack.version,
        ttlSeconds,
      });
    }).catch((error: unknown) => {
      if (!(error instanceof StoreFailure || error instanceof StoreSettingError)) throw error;
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
   * mandatory in an update (nothing deploys unbudgeted) unless the settings' storeOnFailure is
   * warn or the policy itself only advises; advisory in a preview.
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
      const enforcementLevel =
        level === "advisory"
          ? "advisory"
          : this.failureModes
            ? failureLevel(operation, this.failureModes.storeOnFailure)
            : storeFailureLevel(operation, this.env);
      const message = `the organization's spend ledger could not be ${operation === "update" ? "updated" : "read"}, so this ${urn ? "resource" : "stack"} is not budgeted across stacks: ${error.message}`;
      return { verdicts: [], findings: [{ message, ...(urn ? { urn } : {}), enforcementLevel }] };
    }
  }
}

function stackRef(ctx: AuditContext): StackRef {
  return { organization: ctx.organization, project: ctx.project, stack: ctx.stack };
}
