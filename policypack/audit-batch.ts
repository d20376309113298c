import type { AuditDraft } from "../src/audit/index.js";
import type { Rule } from "../src/policy/rule.js";
import { analyzeDiagnostics, wrapAnalyzerService } from "./policy-sdk.js";

/** A decision waiting to be recorded, and whose it is (the finding names that policy if it fails). */
export interface PendingRecord {
  draft: AuditDraft;
  rule: Rule;
  urn: string;
}

/** The records one Analyze request has made so far, by the resource's URN. */
const openRequests = new Map<string, PendingRecord[]>();

/** Where the decisions of the Analyze request for this resource wait, while it runs. */
export function pendingRecordsFor(urn: string): PendingRecord[] | undefined {
  return openRequests.get(urn);
}

export interface BatchWriter {
  /** Writes the records together; the message and level of each one that could not be written. */
  write(
    records: readonly PendingRecord[],
  ): Promise<Array<{ record: PendingRecord; message: string; enforcementLevel: "advisory" | "mandatory" }>>;
  /** The pack's name and version as the SDK reports them in every diagnostic. */
  pack(): { name: string; version: string };
  /** A failed record blocks the resource: whatever the request claimed for it is released. */
  onBlocked(urn: string): Promise<void>;
}

type Callback = (error: unknown, response?: { addDiagnostics(d: unknown): void }) => void;
type Analyze = (call: { request: { getUrn(): string } }, callback: Callback) => unknown;

/**
 * Every policy judges a resource in turn within one Analyze request, and most decisions worth
 * recording come several to a resource (a budget block, the allowlist, missing tags). They are
 * written together once the last policy has run and before the engine hears any of them: one
 * lock and one fsync per resource instead of one per decision. A record that cannot be written is
 * a finding in that same response, under the policy whose decision it was. The same resource
 * analysed twice at once (never seen from the engine) is recorded decision by decision. Must run
 * before `new PolicyPack`.
 */
export function recordDecisionsPerRequest(writer: BatchWriter): void {
  wrapAnalyzerService((service, implementation) => {
    const analyze = (implementation as unknown as Record<string, Analyze | undefined>).analyze;
    if (!analyze) return { service, implementation };
    const wrapped: Record<string, unknown> = {
      ...implementation,
      analyze(call: Parameters<Analyze>[0], callback: Callback) {
        const urn = call.request.getUrn();
        if (openRequests.has(urn)) return analyze(call, callback);
        const pending: PendingRecord[] = [];
        openRequests.set(urn, pending);
        return analyze(call, (error, response) => {
          openRequests.delete(urn);
          if (pending.length === 0) return callback(error, response);
          void flush(writer, pending, response).then(
            () => callback(error, response),
            (flushError) => callback(error ?? flushError, response),
          );
        });
      },
    };
    return { service, implementation: wrapped as typeof implementation };
  });
}

async function flush(
  writer: BatchWriter,
  pending: readonly PendingRecord[],
  response: Parameters<Callback>[1],
): Promise<void> {
  const failed = await writer.write(pending);
  if (failed.length === 0) return;
  const pack = writer.pack();
  const diagnostics = analyzeDiagnostics(
    failed.map(({ record, message, enforcementLevel }) => ({
      policyName: record.rule.name,
      policyPackName: pack.name,
      policyPackVersion: pack.version,
      description: record.rule.description,
      message,
      urn: record.urn,
      enforcementLevel,
      severity: record.rule.severity,
    })),
  );
  for (const d of diagnostics) response?.addDiagnostics(d);
  for (const urn of new Set(
    failed.filter((f) => f.enforcementLevel === "mandatory").map((f) => f.record.urn),
  ))
    await writer.onBlocked(urn);
}
