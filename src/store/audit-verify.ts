import { AuditRecordSchema, GENESIS_HASH, recordHash } from "../audit/index.js";
import type { StoreConnection } from "./connection.js";

/** Where an organisation's chain first goes wrong. */
export interface StoreAuditProblem {
  organization: string;
  /** The row's seq; null when the problem is the chain head. */
  seq: number | null;
  id: string | null;
  what: string;
}

export interface StoreVerifyResult {
  ok: boolean;
  /** Records verified (up to the first problem when there is one). */
  records: number;
  /** Each organisation's chain, with the hash of its last verified record. */
  chains: Array<{ organization: string; records: number; head: string }>;
  firstProblem?: StoreAuditProblem;
}

interface Row {
  organization: string;
  seq: string;
  id: string;
  project: string;
  stack: string;
  policy: string;
  decision: string;
  prev_hash: string;
  hash: string;
  record: string;
}

interface ChainState {
  seq: number;
  hash: string;
}

const PAGE = 1000;

/**
 * Walks every organisation's chain in seq order and checks each record's own hash, its seq and
 * its link to the record before, that the columns the CLI filters on agree with the hashed
 * record, and that the chain head row points at the last record (so records deleted from the end
 * are found too). Reads in pages; stops at the first problem. Throws StoreFailure when the store
 * cannot be read.
 */
export async function verifyStoreAudit(conn: StoreConnection): Promise<StoreVerifyResult> {
  const heads = await conn.query<{ organization: string; seq: string; hash: string }>(
    "SELECT organization, seq, hash FROM computeguard.audit_chain_heads",
  );
  const organizations = await conn.query<{ organization: string }>(
    `SELECT organization FROM computeguard.audit_chain_heads
     UNION SELECT DISTINCT organization FROM computeguard.audit_records ORDER BY organization`,
  );
  const headOf = new Map(heads.map((h) => [h.organization, { seq: Number(h.seq), hash: h.hash }]));
  const result: StoreVerifyResult = { ok: true, records: 0, chains: [] };
  for (const { organization } of organizations) {
    let state: ChainState = { seq: 0, hash: GENESIS_HASH };
    let records = 0;
    let problem: StoreAuditProblem | undefined;
    walk: for (;;) {
      const rows = await conn.query<Row>(
        `SELECT organization, seq, id, project, stack, policy, decision, prev_hash, hash, record
         FROM computeguard.audit_records WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
        [organization, state.seq],
      );
      for (const row of rows) {
        const check = checkRow(state, row);
        if ("what" in check) {
          problem = check;
          break walk;
        }
        state = check;
        records++;
      }
      if (rows.length < PAGE) break;
    }
    problem ??= checkHead(organization, state, headOf.get(organization));
    result.records += records;
    result.chains.push({ organization, records, head: state.hash });
    if (problem) return { ...result, ok: false, firstProblem: problem };
  }
  return result;
}

function checkRow(state: ChainState, row: Row): ChainState | StoreAuditProblem {
  const seq = Number(row.seq);
  const at = (what: string, id: string | null = row.id): StoreAuditProblem => ({
    organization: row.organization,
    seq,
    id,
    what,
  });
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(row.record) as Record<string, unknown>;
  } catch {
    return at("the record is not valid JSON: it was edited after it was written");
  }
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return at("not a JSON object");
  if (typeof fields.hash !== "string") return at("the record has no hash");
  let computed: string;
  try {
    computed = recordHash(fields);
  } catch {
    return at("the record cannot be hashed (a value with no JSON form)");
  }
  if (computed !== fields.hash) {
    return at("content does not match its hash: the record was edited after it was written");
  }
  const parsed = AuditRecordSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return at(`not a valid audit record: ${issue.path.join(".") || "record"}: ${issue.message}`);
  }
  const record = parsed.data;
  const columns: Array<[string, unknown, unknown]> = [
    ["organization", row.organization, record.organization],
    ["seq", seq, record.seq],
    ["id", row.id, record.id],
    ["project", row.project, record.project],
    ["stack", row.stack, record.stack],
    ["policy", row.policy, record.policy],
    ["decision", row.decision, record.decision],
    ["prev_hash", row.prev_hash, record.prevHash],
    ["hash", row.hash, record.hash],
  ];
  const differing = columns.filter(([, column, field]) => column !== field).map(([name]) => name);
  if (differing.length > 0) {
    return at(
      `the row's ${differing.join(", ")} disagree${differing.length === 1 ? "s" : ""} with its hashed record: the row was edited`,
    );
  }
  const expected = state.seq + 1;
  if (seq > expected) {
    const missing = seq - expected;
    return at(
      `seq ${seq} where ${expected} was expected: ${missing} record${missing === 1 ? "" : "s"} before it deleted`,
    );
  }
  if (record.prevHash !== state.hash) {
    return at("prevHash does not match the previous record's hash: a record was replaced or inserted");
  }
  return { seq, hash: record.hash };
}

function checkHead(
  organization: string,
  last: ChainState,
  head: ChainState | undefined,
): StoreAuditProblem | undefined {
  const at = (what: string): StoreAuditProblem => ({ organization, seq: null, id: null, what });
  if (!head) return last.seq > 0 ? at("records but no chain head row: the head was deleted") : undefined;
  if (head.seq === last.seq && head.hash === last.hash) return undefined;
  if (head.seq > last.seq) {
    const missing = head.seq - last.seq;
    return at(
      `the chain head is at seq ${head.seq} but the last record is seq ${last.seq}: the last ${missing} record${missing === 1 ? " was" : "s were"} deleted`,
    );
  }
  if (head.seq < last.seq) {
    return at(
      `the chain head is at seq ${head.seq}, behind the last record (seq ${last.seq}): records were added around computeguard`,
    );
  }
  return at(`the chain head's hash does not match record ${last.seq}'s: the head or the record was replaced`);
}
