import type { Money } from "../money.js";
import type { Waiver } from "./waivers.js";

export type Decision = "blocked" | "warned" | "waived" | "passed";

/** One policy's judgement of one resource (or of the stack when `urn` is absent). */
export interface Verdict {
  policy: string;
  decision: Decision;
  message: string;
  urn?: string;
  resourceType?: string;
  /** The projected cost the verdict was judged on. */
  projected?: Money;
  limit?: Money;
  /** Which budget: "resource", "stack", "team:<name>", "training", ... */
  budget?: string;
  /** Every budget a verdict judged, when it is more than `budget` (the stack's and a team's). */
  budgets?: string[];
  marginPercent?: Money;
  waiver?: Waiver;
}
