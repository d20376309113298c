import { anchorNotReached, CHAIN_START, type ChainHead, type ChainState, checkLink } from "../audit/chain.js";
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
  /** Each organisation's chain, with its last verified record. */
  chains: Array<{ organization: string; records: number; head: ChainHead }>;
  firstProblem?: StoreAuditProblem;
}

/** A head printed earlier for one organisation's chain: the store must still contain it. */
export interface StoreAnchor {
  organization: string;
  head: ChainHead;
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

const PAGE = 1000;

/**
 * Walks every organisation's chain in seq order and checks each link (checkLink, as the file log
 * does), that the columns the CLI filters on agree with the hashed record, that the chain head row
 * points at the last record (so records deleted from the end are found too) and, with an anchor,
 * that the organisation's chain still holds the anchored head. Reads in pages; stops at the first
 * problem. Throws StoreFailure when the store cannot be read.
 */
export async function verifyStoreAudit(
  conn: StoreConnection,
  anchor?: StoreAnchor,
): Promise<StoreVerifyResult> {
  const heads = await conn.query<{ organization: string; seq: string; hash: string }>(
    "SELECT organization, seq, hash FROM computeguard.audit_chain_heads",
  );
  const organizations = await conn.query<{ organization: string }>(
    `SELECT organization FROM computeguard.audit_chain_heads
     UNION SELECT DISTINCT organization FROM computeguard.audit_records ORDER BY organization`,
  );
  const headOf = new Map(heads.map((h) => [h.organization, { seq: Number(h.seq), hash: h.hash }]));
  const result: StoreVerifyResult = { ok: true, records: 0, chains: [] };
  const anchored = anchor ? [anchor.organization] : [];
  for (const organization of [...new Set([...organizations.map((o) => o.organization), ...anchored])]) {
    const anchorHead = anchor?.organization === organization ? anchor.head : undefined;
    let state: ChainState = CHAIN_START;
    let problem: StoreAuditProblem | undefined;
    walk: for (;;) {
      const rows = await conn.query<Row>(
        `SELECT organization, seq, id, project, stack, policy, decision, prev_hash, hash, record
         FROM computeguard.audit_records WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
        [organization, state.seq],
      );
      for (const row of rows) {
        const check = checkRow(state, row, anchorHead);
        if ("what" in check) {
          problem = check;
          break walk;
        }
        state = check;
      }
      if (rows.length < PAGE) break;
    }
    problem ??= checkHead(organization, state, headOf.get(organization));
    const cut = problem ? undefined : anchorNotReached(state, anchorHead);
    if (cut) problem = { organization, seq: null, id: null, what: cut };
    result.records += state.records;
    result.chains.push({ organization, records: state.records, head: { seq: state.seq, hash: state.hash } });
    if (problem) return { ...result, ok: false, firstProblem: problem };
  }
  return result;
}

function checkRow(
  state: ChainState,
  row: Row,
  anchor: ChainHead | undefined,
): ChainState | StoreAuditProblem {
  const seq = Number(row.seq);
  const at = (what: string, id: string | null = row.id): StoreAuditProblem => ({
    organization: row.organization,
    seq,
    id,
    what,
  });
  const link = checkLink(state, row.record, anchor);
  if ("problem" in link) {
    if (link.blamePrevious) return at(link.problem, null);
    return at(link.problem, link.id ?? row.id);
  }
  const { record } = link;
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
  return link.next;
}

function checkHead(
  organization: string,
  last: ChainHead,
  head: ChainHead | undefined,
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
