/**
 * The layers of computeguard, enforced by `npm run lint` (see docs/architecture.md).
 *
 *   front doors: policypack/  components/  cli/          (never import each other)
 *        ↓
 *   gate and estimator: src/policy, src/plan, src/report, src/audit, src/store,
 *                       src/inputs, src/economics, src/estimate/estimator.ts
 *        ↓
 *   adapter registry: src/resources
 *        ↓
 *   estimate kit: src/estimate (types, build, compute, capacity, combine, links)
 *        ↓
 *   pricing: src/pricing
 *        ↓
 *   catalog and money: src/catalog, src/money.ts, src/unknown.ts, src/validation.ts
 *
 * A layer may import only layers below it; nothing may form a cycle.
 */
const GATE = "^src/(policy|plan|report|audit|store|inputs|economics)/|^src/estimate/estimator\\.ts$";
const REGISTRY = "^src/resources/";
const KIT = "^src/estimate/(?!estimator\\.ts$)";
const PRICING = "^src/pricing/";
const FRONT_DOORS = "^(cli|components|policypack)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Cycles make layers meaningless: split the shared piece into the lower module.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-pure",
      comment: "src/ is the pure cost core: no Pulumi SDK, no front door, no tests or tooling.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: ["^node_modules/@pulumi/", "^(cli|components|policypack|tests|bench|harness|scripts)/"] },
    },
    {
      name: "catalog-and-money-at-the-bottom",
      severity: "error",
      from: { path: "^src/(catalog/|money\\.ts$|unknown\\.ts$|validation\\.ts$)" },
      to: { path: [PRICING, KIT, REGISTRY, GATE, "^src/estimate/"] },
    },
    {
      name: "pricing-below-the-estimate-kit",
      severity: "error",
      from: { path: PRICING },
      to: { path: ["^src/estimate/", REGISTRY, GATE] },
    },
    {
      name: "estimate-kit-below-the-registry",
      severity: "error",
      from: { path: KIT },
      to: { path: [REGISTRY, GATE] },
    },
    {
      name: "registry-below-the-gate",
      severity: "error",
      from: { path: REGISTRY },
      to: { path: GATE },
    },
    {
      name: "front-doors-are-independent",
      comment: "The pack, the components and the CLI share only the core (and the harness in tests).",
      severity: "error",
      from: { path: "^(cli|components|policypack)/" },
      to: { path: FRONT_DOORS, pathNot: "^$1/" },
    },
    {
      name: "nothing-imports-tests",
      severity: "error",
      from: { pathNot: "^tests/" },
      to: { path: "^tests/" },
    },
    {
      name: "tests-do-not-import-benchmarks",
      comment: "Shared workloads and the engine driver live in harness/, used by both.",
      severity: "error",
      from: { path: "^tests/" },
      to: { path: "^bench/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)dist/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
  },
};
