/**
 * The spend ledger: each stack's projected monthly spend per team, as its last update recorded it
 * ("recorded"), and the running projection an update in flight has claimed ("pending", until
 * AnalyzeStack settles it or expires_at passes). team is '' for spend with no team tag.
 */
export const spendLedger = {
  version: 2,
  name: "spend-ledger",
  sql: `
CREATE TABLE computeguard.stack_spend (
  organization text NOT NULL,
  project text NOT NULL,
  stack text NOT NULL,
  team text NOT NULL,
  state text NOT NULL CHECK (state IN ('recorded', 'pending')),
  monthly_baseline numeric(20, 2) NOT NULL CHECK (monthly_baseline >= 0),
  monthly_worst_case numeric(20, 2) NOT NULL CHECK (monthly_worst_case >= 0),
  pack_version text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  CHECK ((state = 'pending') = (expires_at IS NOT NULL)),
  PRIMARY KEY (organization, project, stack, team, state)
);

REVOKE ALL ON computeguard.stack_spend FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON computeguard.stack_spend TO computeguard_app;
`,
};
