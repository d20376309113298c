/**
 * The application role may only INSERT (and read): whoever holds its credentials — every CI runner
 * and every engineer who runs `pulumi up` — can add records and spend events, never change or
 * remove what is there.
 *
 * Audit trail: the chain heads are kept by the database. `lock_audit_chain(org)` (SECURITY
 * DEFINER) locks an organisation's head row for the appending transaction and returns it; a
 * trigger on audit_records admits only the record that continues that head and moves the head
 * on. The app role has no write privilege on audit_chain_heads at all.
 *
 * Spend ledger: stack_spend becomes the database's own picture of each stack's spend. The app role
 * inserts events into spend_events (claim: an update in flight claims its running projection;
 * record: an update ended and this is what the stack spends; release: a claim given back) and a
 * SECURITY DEFINER trigger applies each to stack_spend under the organisation's advisory lock,
 * dropping lapsed claims. Events are kept: who inserted what, and when, stays readable.
 */
export const insertOnlyAppRole = {
  version: 3,
  name: "insert-only-app-role",
  sql: `
CREATE FUNCTION computeguard.lock_audit_chain(org text) RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO computeguard.audit_chain_heads (organization, seq, hash)
  VALUES (org, 0, repeat('0', 64)) ON CONFLICT (organization) DO NOTHING;
  RETURN QUERY SELECT h.seq, h.hash FROM computeguard.audit_chain_heads h
    WHERE h.organization = org FOR UPDATE;
END
$fn$;

CREATE FUNCTION computeguard.audit_records_advance_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM computeguard.audit_chain_heads h
    WHERE h.organization = NEW.organization FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO computeguard.audit_chain_heads (organization, seq, hash)
    VALUES (NEW.organization, 0, repeat('0', 64));
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
    RAISE EXCEPTION 'audit record % of organization % does not continue its chain (head at seq %)',
      NEW.seq, NEW.organization, head_seq USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  UPDATE computeguard.audit_chain_heads SET seq = NEW.seq, hash = NEW.hash
    WHERE organization = NEW.organization;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER audit_records_advance_head
  BEFORE INSERT ON computeguard.audit_records
  FOR EACH ROW EXECUTE FUNCTION computeguard.audit_records_advance_head();

REVOKE ALL ON FUNCTION computeguard.lock_audit_chain(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION computeguard.audit_records_advance_head() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION computeguard.lock_audit_chain(text) TO computeguard_app;
REVOKE ALL ON computeguard.audit_chain_heads FROM computeguard_app;
GRANT SELECT ON computeguard.audit_chain_heads TO computeguard_app;

CREATE TABLE computeguard.spend_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization text NOT NULL,
  project text NOT NULL,
  stack text NOT NULL,
  event text NOT NULL CHECK (event IN ('claim', 'record', 'release')),
  -- [{"team": "research" | null, "monthlyBaseline": "40179.20", "monthlyWorstCase": "40179.20"}, ...]
  teams jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(teams) = 'array'),
  claim_ttl_seconds integer CHECK (claim_ttl_seconds > 0),
  pack_version text NOT NULL,
  inserted_by text NOT NULL DEFAULT session_user,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((event = 'claim') = (claim_ttl_seconds IS NOT NULL)),
  CHECK (event <> 'release' OR teams = '[]')
);
CREATE INDEX spend_events_stack ON computeguard.spend_events (organization, project, stack, id);

CREATE FUNCTION computeguard.spend_events_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  -- Who and when are the database's word, not the inserter's.
  NEW.inserted_by := session_user;
  NEW.inserted_at := now();
  PERFORM pg_advisory_xact_lock(hashtextextended('computeguard.ledger/' || NEW.organization, 0));
  DELETE FROM computeguard.stack_spend
    WHERE organization = NEW.organization AND state = 'pending' AND expires_at <= now();
  DELETE FROM computeguard.stack_spend
    WHERE organization = NEW.organization AND project = NEW.project AND stack = NEW.stack
      AND (NEW.event = 'record' OR state = 'pending');
  IF NEW.event IN ('claim', 'record') THEN
    INSERT INTO computeguard.stack_spend
      (organization, project, stack, team, state, monthly_baseline, monthly_worst_case, pack_version,
       updated_at, expires_at)
    SELECT NEW.organization, NEW.project, NEW.stack, coalesce(t.team, ''),
           CASE NEW.event WHEN 'claim' THEN 'pending' ELSE 'recorded' END,
           t."monthlyBaseline", t."monthlyWorstCase", NEW.pack_version, now(),
           CASE NEW.event WHEN 'claim' THEN now() + make_interval(secs => NEW.claim_ttl_seconds) END
    FROM jsonb_to_recordset(NEW.teams)
      AS t(team text, "monthlyBaseline" numeric(20, 2), "monthlyWorstCase" numeric(20, 2))
    WHERE t."monthlyBaseline" <> 0 OR t."monthlyWorstCase" <> 0;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER spend_events_apply
  BEFORE INSERT ON computeguard.spend_events
  FOR EACH ROW EXECUTE FUNCTION computeguard.spend_events_apply();

REVOKE ALL ON FUNCTION computeguard.spend_events_apply() FROM PUBLIC;
REVOKE ALL ON computeguard.spend_events FROM PUBLIC;
GRANT SELECT, INSERT ON computeguard.spend_events TO computeguard_app;
REVOKE ALL ON computeguard.stack_spend FROM computeguard_app;
GRANT SELECT ON computeguard.stack_spend TO computeguard_app;
`,
};
