/** Every step operation `pulumi preview --json` writes (pkg/resource/deploy/step.go). */
export const PREVIEW_OPERATIONS = [
  "create",
  "update",
  "replace",
  "delete",
  "same",
  "read",
  "refresh",
  "create-replacement",
  "delete-replaced",
  "read-replacement",
  "import",
  "import-replacement",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
] as const;

export type PreviewOperation = (typeof PREVIEW_OPERATIONS)[number];

const KNOWN = new Set<string>(PREVIEW_OPERATIONS);

export function isPreviewOperation(op: unknown): op is PreviewOperation {
  return typeof op === "string" && KNOWN.has(op);
}

/**
 * Ops whose new state is the resource after the deployment. Deletes, discards and the removal of a
 * pending replacement leave nothing behind; everything else has a goal state.
 */
const LEAVES_NEW_STATE = new Set<PreviewOperation>([
  "create",
  "update",
  "replace",
  "same",
  "read",
  "refresh",
  "create-replacement",
  "read-replacement",
  "import",
  "import-replacement",
]);

/**
 * Ops whose old state is running before the deployment. A pending-replace entry was already
 * deleted in the cloud (its replacement failed half-way), so it costs nothing now.
 */
const HAS_RUNNING_OLD_STATE = new Set<PreviewOperation>(
  PREVIEW_OPERATIONS.filter((op) => op !== "remove-pending-replace"),
);

/** The steps of one replacement (up to three per URN), which count as a single change. */
const REPLACEMENT = new Set<PreviewOperation>([
  "replace",
  "create-replacement",
  "delete-replaced",
  "read-replacement",
  "import-replacement",
  "discard-replaced",
]);

/** Ops that change nothing the stack pays for. */
const UNCHANGING = new Set<string>(["same", "read", "refresh"]);

/**
 * Ops whose step always carries the new state (pkg/resource/deploy/step.go `New()`): without it
 * there is nothing to price, so a step lacking it is bad input, never a $0 row. A refresh of a
 * resource gone from the cloud has none.
 */
const CARRIES_NEW_STATE = new Set<PreviewOperation>([...LEAVES_NEW_STATE].filter((op) => op !== "refresh"));

export function carriesNewState(op: PreviewOperation): boolean {
  return CARRIES_NEW_STATE.has(op);
}

/**
 * Ops on resources that run already, outside the stack: a read (`get`, `read`) or an import. Their
 * cost is existing spend: the state they leave is also the state before the deployment.
 */
const ALREADY_RUNNING = new Set<PreviewOperation>(["read", "import"]);

export function isAlreadyRunning(op: PreviewOperation): boolean {
  return ALREADY_RUNNING.has(op);
}

/** A read resource dropped from the stack is discarded from the state only: it keeps running. */
export function keepsRunning(op: PreviewOperation): boolean {
  return op === "discard";
}

export function leavesNewState(op: PreviewOperation): boolean {
  return LEAVES_NEW_STATE.has(op);
}

export function hasRunningOldState(op: PreviewOperation): boolean {
  return HAS_RUNNING_OLD_STATE.has(op);
}

/**
 * Folds one more step of a resource into what its steps amount to so far: a replacement's steps
 * collapse to "replace", otherwise the first step's op stands.
 */
export function foldChange(sofar: ChangeKind | undefined, op: PreviewOperation): ChangeKind {
  if (sofar === "replace" || REPLACEMENT.has(op)) return "replace";
  return sofar ?? (op as ChangeKind);
}

/** The change shown per resource: a preview operation, with replacement steps folded into "replace". */
export type ChangeKind = Exclude<
  PreviewOperation,
  "create-replacement" | "delete-replaced" | "read-replacement" | "import-replacement" | "discard-replaced"
>;

export function isUnchanging(change: ChangeKind): boolean {
  return UNCHANGING.has(change);
}
