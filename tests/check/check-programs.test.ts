import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Decimal } from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ensureBuilt, expectOneLineError, runCli } from "../support/cli.js";
import { runEach } from "./support/registrations-of.js";

const FIXTURES = "tests/check/fixtures";
/** Long enough for the program to load and register under load; it then polls forever. */
const HANG_TIMEOUT = 20;
const BUDGET_500 = ["--policy-config", `${FIXTURES}/budget-500.json`];

/** Every run this file checks, started together: each loads the Pulumi SDK. */
const RUNS = {
  // First: it waits out its timeout while the others run.
  hangs: ["--program", `${FIXTURES}/hangs`, "--timeout", String(HANG_TIMEOUT)],
  gpuManaged: ["--program", `${FIXTURES}/eks-gpu-managed`, ...BUDGET_500, "--format", "json"],
  cluster: ["--program", `${FIXTURES}/eks-cluster`, "--format", "json"],
  clusterGpu: ["--program", `${FIXTURES}/eks-cluster`, "--stack", "gpu", "--format", "json"],
  selfManaged: ["--program", `${FIXTURES}/eks-self-managed`, "--format", "json"],
  awsxVpc: ["--program", `${FIXTURES}/awsx-vpc`, "--format", "json"],
  awsxClassic: ["--program", `${FIXTURES}/awsx-classic-ecs`, "--format", "json"],
  unexpandable: ["--program", `${FIXTURES}/unexpandable`, "--format", "json"],
  unexpandableTable: ["--program", `${FIXTURES}/unexpandable`],
  unexpandableAdvisory: [
    "--program",
    `${FIXTURES}/unexpandable`,
    "--policy-config",
    `${FIXTURES}/unpriced-advisory.json`,
    "--format",
    "json",
  ],
  stalls: ["--program", `${FIXTURES}/stalls`],
  lookupFails: ["--program", `${FIXTURES}/lookup-fails`],
  badTimeout: ["--program", `${FIXTURES}/hangs`, "--timeout", "0"],
} satisfies Record<string, string[]>;

const results = {} as Record<keyof typeof RUNS, CliResult & { seconds: number }>;
const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-check-programs-"));

beforeAll(async () => {
  ensureBuilt();
  const done = await runEach(Object.keys(RUNS) as Array<keyof typeof RUNS>, async (name) => {
    const started = Date.now();
    const result = await runCli(["check", ...RUNS[name]], {
      env: { COMPUTEGUARD_AUDIT_LOG: path.join(scratch, name, "audit.jsonl") },
    });
    return { ...result, seconds: (Date.now() - started) / 1000 };
  });
  Object.assign(results, done);
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// On-demand rates in us-east-1 from the catalog (src/catalog/data/aws-gpu-catalog.json, source
// karpenter-2026-07-20: AWS Price List API via Karpenter's generated table, 2026-07-20).
const RATE = {
  "p4d.24xlarge": "21.957642",
  "g6e.12xlarge": "10.49264",
  "g5.12xlarge": "5.672",
  "g5.2xlarge": "1.212",
  "g5.xlarge": "1.006",
  "g4dn.xlarge": "0.526",
} as const;
const HOURS = 730;
const monthly = (type: keyof typeof RATE, count: number) =>
  new Decimal(RATE[type]).times(HOURS).times(count).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const usd = (d: Decimal) => `$${d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

interface JsonResource {
  name: string;
  type: string;
  urn: string;
  monthly: { baseline: { total: string }; worstCase: { total: string } } | null;
  outcome: string;
}
interface JsonFinding {
  policy: string;
  ruleDecision: string;
  outcome: string;
  level: string;
  urn: string | null;
  message: string;
}
interface CheckJson {
  outcome: string;
  exitCode: number;
  resources: JsonResource[];
  findings: JsonFinding[];
  unexpandedComponents: Array<{ urn: string; type: string; name: string; computeFree: string | null }>;
  counts: { registered: number };
}

function json(result: CliResult): CheckJson {
  expect(result.stdout, result.stderr).not.toBe("");
  return JSON.parse(result.stdout) as CheckJson;
}

function resource(doc: CheckJson, name: string): JsonResource {
  const found = doc.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no judged resource ${name}: ${doc.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/** Could not evaluate: exit code 3, one line, and not the SDK's leaked-promise message. */
function expectCouldNotEvaluate(result: CliResult, message: RegExp): void {
  expectOneLineError(result, 3, message);
  expect(result.stderr).not.toContain("promises were still active");
}

describe("computeguard check on @pulumi/eks programs", () => {
  it("blocks a GPU managed node group over a $500 budget at its real worst case", () => {
    const doc = json(results.gpuManaged);
    expect(results.gpuManaged.code).toBe(1);
    expect(doc).toMatchObject({ outcome: "blocked", exitCode: 1 });
    // aws-ts-eks-gpu-dra's GPU group: p4d.24xlarge, 1 desired, up to 8.
    const gpu = resource(doc, "gpu-nodes");
    expect(gpu.type).toBe("aws:eks/nodeGroup:NodeGroup");
    expect(gpu.monthly?.baseline.total).toBe(monthly("p4d.24xlarge", 1).toFixed(2));
    expect(gpu.monthly?.worstCase.total).toBe(monthly("p4d.24xlarge", 8).toFixed(2));
    expect(gpu.outcome).toBe("blocked");
    const stackBlock = doc.findings.find(
      (f) => f.policy === "gpu-stack-budget" && f.urn === gpu.urn && f.outcome === "blocked",
    );
    expect(stackBlock?.message).toContain(usd(monthly("p4d.24xlarge", 8)));
    expect(stackBlock?.message).toContain("$500.00/mo limit");
    // The m6i.large system group is no GPU: judged, not reported.
    expect(doc.resources.map((r) => r.name)).toEqual(["gpu-nodes"]);
    expect(doc.unexpandedComponents).toEqual([]);
    // Nothing of the SDK's offline noise ("Undefined value (...) will not show as a stack output").
    expect(results.gpuManaged.stderr).toBe("");
  });

  it("passes a cluster with non-GPU default node groups with no finding", () => {
    const doc = json(results.cluster);
    expect(results.cluster.code).toBe(0);
    expect(doc.outcome).toBe("passed");
    expect(doc.resources).toEqual([]);
    expect(doc.findings.filter((f) => f.outcome !== "passed")).toEqual([]);
    expect(doc.counts.registered).toBeGreaterThan(60);
  });

  it("prices a cluster's GPU default node group from its launch template and scaling", () => {
    const doc = json(results.clusterGpu);
    const group = resource(doc, "cluster-2");
    expect(group.type).toBe("aws:autoscaling/group:Group");
    expect(group.monthly?.baseline.total).toBe(monthly("g5.12xlarge", 2).toFixed(2));
    expect(group.monthly?.worstCase.total).toBe(monthly("g5.12xlarge", 4).toFixed(2));
  });

  it("prices NodeGroup (CloudFormation), NodeGroupV2 and createManagedNodeGroup node groups", () => {
    const doc = json(results.selfManaged);
    expect(results.selfManaged.code).toBe(1);
    const priced = (name: string, type: string, base: Decimal, worst: Decimal) => {
      const r = resource(doc, name);
      expect(r.type, name).toBe(type);
      expect(r.monthly?.baseline.total, name).toBe(base.toFixed(2));
      expect(r.monthly?.worstCase.total, name).toBe(worst.toFixed(2));
    };
    // eks.NodeGroup: the auto scaling group declared in its CloudFormation template, 0..2 (0 desired).
    const stack = "aws:cloudformation/stack:Stack";
    priced("batch-p4d-nodes", stack, monthly("p4d.24xlarge", 0), monthly("p4d.24xlarge", 2));
    // cluster.createNodeGroup: the same, 1..2 (1 desired).
    priced("ondemand-g5-nodes", stack, monthly("g5.2xlarge", 1), monthly("g5.2xlarge", 2));
    // NodeGroupV2 on spot: its worst case is on demand, 4 at most.
    expect(resource(doc, "spot-g6e").type).toBe("aws:autoscaling/group:Group");
    expect(resource(doc, "spot-g6e").monthly?.worstCase.total).toBe(monthly("g6e.12xlarge", 4).toFixed(2));
    const nodeGroup = "aws:eks/nodeGroup:NodeGroup";
    priced("inference-g6e", nodeGroup, monthly("g6e.12xlarge", 2), monthly("g6e.12xlarge", 8));
  });
});

describe("computeguard check on awsx programs", () => {
  it("runs a program that uses an awsx VPC's outputs and prices its GPU box", () => {
    const doc = json(results.awsxVpc);
    expect(results.awsxVpc.code, results.awsxVpc.stderr).toBe(0);
    expect(resource(doc, "inference-box").monthly?.worstCase.total).toBe(monthly("g5.xlarge", 1).toFixed(2));
  });

  it("runs an awsx classic program to a report and prices its auto scaling group", () => {
    const doc = json(results.awsxClassic);
    expect(results.awsxClassic.code, results.awsxClassic.stderr).toBe(1);
    // aws-ts-airflow's group on g4dn.xlarge: 4 instances (minSize), up to awsx classic's default 100.
    const group = resource(doc, "airflow");
    expect(group.type).toBe("aws:cloudformation/stack:Stack");
    expect(group.monthly?.baseline.total).toBe(monthly("g4dn.xlarge", 4).toFixed(2));
    expect(group.monthly?.worstCase.total).toBe(monthly("g4dn.xlarge", 100).toFixed(2));
  });
});

describe("computeguard check fails closed on what it cannot evaluate", () => {
  it("blocks a remote component it cannot expand, and lists the compute-free ones", () => {
    const doc = json(results.unexpandable);
    expect(results.unexpandable.code).toBe(1);
    expect(doc.unexpandedComponents).toEqual([
      {
        urn: "urn:pulumi:dev::unexpandable::awsx:ec2:DefaultVpc::default",
        type: "awsx:ec2:DefaultVpc",
        name: "default",
        computeFree: "reads the account's default VPC",
      },
      {
        urn: "urn:pulumi:dev::unexpandable::acme:ml:TrainingCluster::llm-trainer",
        type: "acme:ml:TrainingCluster",
        name: "llm-trainer",
        computeFree: null,
      },
      {
        urn: "urn:pulumi:dev::unexpandable::awsx:ecr:Repository::models",
        type: "awsx:ecr:Repository",
        name: "models",
        computeFree: "a container registry",
      },
    ]);
    const blocked = doc.findings.filter((f) => f.outcome === "blocked");
    expect(blocked).toEqual([
      expect.objectContaining({
        policy: "unpriced-accelerators",
        level: "mandatory",
        urn: "urn:pulumi:dev::unexpandable::acme:ml:TrainingCluster::llm-trainer",
        message: expect.stringContaining(
          "remote component (acme:ml:TrainingCluster) that check cannot expand offline; its inputs name instanceType = p5.48xlarge:",
        ),
      }),
    ]);
    const table = results.unexpandableTable.stdout;
    expect(table).toMatch(/^ {2}llm-trainer +acme:ml:TrainingCluster +could run accelerators: not priced$/m);
    expect(table).toMatch(/^ {2}models +awsx:ecr:Repository +creates no compute: a container registry$/m);
  });

  it("follows the unpriced-accelerators level: advisory warns", () => {
    const doc = json(results.unexpandableAdvisory);
    expect(results.unexpandableAdvisory.code).toBe(0);
    expect(
      doc.findings.filter((f) => f.policy === "unpriced-accelerators" && f.outcome !== "passed"),
    ).toEqual([expect.objectContaining({ ruleDecision: "blocked", outcome: "warning", level: "advisory" })]);
  });

  it("exits 3 when a program stalls, naming the registrations that never finished", () => {
    expectCouldNotEvaluate(
      results.stalls,
      /^computeguard: program tests\/check\/fixtures\/stalls\/index\.ts stalled: it waits on something that never settles; 2 registrations never finished: gpu-template \(aws:ec2\/launchTemplate:LaunchTemplate\), gpu-workers \(aws:autoscaling\/group:Group\)$/,
    );
  });

  it("exits 3 when a program fails on a lookup check cannot answer, naming the registration and the lookup", () => {
    expectCouldNotEvaluate(
      results.lookupFails,
      /^computeguard: program tests\/check\/fixtures\/lookup-fails\/index\.ts failed: error serializing property "imageId": "undefined" is not valid JSON; 1 registration never finished: trainer \(aws:ec2\/launchTemplate:LaunchTemplate\); answered offline without a real lookup: aws:ssm\/getParameter:getParameter$/,
    );
  });

  it("exits 3 at the timeout when a program keeps running, naming what is pending", () => {
    expectCouldNotEvaluate(
      results.hangs,
      new RegExp(
        `^computeguard: program tests/check/fixtures/hangs/index\\.ts did not finish within ${HANG_TIMEOUT} s \\(--timeout\\); 1 registration still pending: trainer \\(aws:ec2/instance:Instance\\)$`,
      ),
    );
    // The program polls forever: only the timeout ends it, and not before it.
    expect(results.hangs.seconds).toBeGreaterThanOrEqual(HANG_TIMEOUT);
  });

  it("rejects a timeout that is not a positive number of seconds", () => {
    expect(results.badTimeout.code).toBe(2);
    expect(results.badTimeout.stderr).toBe(
      'computeguard: --timeout must be a positive number of seconds, got "0"\n',
    );
  });
});
