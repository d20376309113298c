/**
 * The audit trail: one row per record, the record itself kept as the exact canonical JSON it was
 * hashed as, so verification reads back the bytes that were chained. Per organisation a chain
 * head row serialises appends (SELECT ... FOR UPDATE) and shows when records at the end went
 * missing. The application role may insert and read records, never change them, and a trigger
 * refuses UPDATE, DELETE and TRUNCATE even to the owner.
 */
export const auditTrail = {
  version: 1,
  name: "audit-trail",
  sql: `
CREATE TABLE computeguard.audit_records (
  organization text NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  id text NOT NULL UNIQUE,
  recorded_at timestamptz NOT NULL,
  project text NOT NULL,
  stack text NOT NULL,
  policy text NOT NULL,
  decision text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  record text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization, seq)
);
CREATE INDEX audit_records_recorded_at ON computeguard.audit_records (recorded_at);

CREATE TABLE computeguard.audit_chain_heads (
  organization text PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL
);

CREATE FUNCTION computeguard.audit_records_append_only() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'computeguard.audit_records is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER audit_records_no_update_or_delete
  BEFORE UPDATE OR DELETE ON computeguard.audit_records
  FOR EACH ROW EXECUTE FUNCTION computeguard.audit_records_append_only();
CREATE TRIGGER audit_records_no_truncate
  BEFORE TRUNCATE ON computeguard.audit_records
  FOR EACH STATEMENT EXECUTE FUNCTION computeguard.audit_records_append_only();

REVOKE ALL ON computeguard.audit_records, computeguard.audit_chain_heads FROM PUBLIC;
GRANT SELECT, INSERT ON computeguard.audit_records TO computeguard_app;
GRANT SELECT, INSERT, UPDATE ON computeguard.audit_chain_heads TO computeguard_app;
`,
};
