import type { AuditDraft } from "../../../src/audit/index.js";

/** A complete, valid draft; override what a test is about. Plain data so child processes can use it too. */
export function sampleDraft(overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    organization: "acme",
    project: "ml-platform",
    stack: "prod",
    operation: "update",
    resource: {
      urn: "urn:pulumi:prod::ml-platform::aws:ec2/instance:Instance::trainer-1",
      type: "aws:ec2/instance:Instance",
    },
    policy: "gpu-resource-budget",
    decision: "blocked",
    enforcementLevel: "mandatory",
    costs: { monthlyBaseline: "23941.68", monthlyWorstCase: "80358.40", oneTime: null },
    limit: "50000.00",
    budget: "team:ml",
    marginPercent: null,
    waiver: null,
    catalog: { version: "2025.06.1", date: "2025-06-01" },
    configDigest: "a".repeat(64),
    pack: { name: "computeguard", version: "0.1.0" },
    actor: { user: "alice", ci: "github-actions", repository: "acme/infra", commit: "0123abc" },
    message: "trainer-1 projects $80,358.40/mo worst case, over the $50,000.00 team:ml budget",
    ...overrides,
  };
}
