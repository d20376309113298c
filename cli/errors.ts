/** Bad input from the user: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The input could not be evaluated (the program failed, stalled or ran out of time): printed as
 * one line, exit code 3, so a script never reads it as "blocked" (1) or "bad input" (2).
 */
export class EvaluationError extends Error {
  override name = "EvaluationError";
}

/** The exit codes every command documents: 0 passed, 1 blocked, 2 bad input, 3 could not evaluate. */
export const EXIT = { ok: 0, blocked: 1, badInput: 2, couldNotEvaluate: 3 } as const;
