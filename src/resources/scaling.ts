import type { ScalingBounds } from "../estimate/types.js";
import { UNDECIDABLE, type Undecidable } from "../unknown.js";
import { isKnown } from "./props.js";

export type CountField = number | Undecidable | undefined;

export interface ScalingRead {
  bounds?: ScalingBounds;
  unknownFields: string[];
  /** The maximum, when it is among unknownFields. */
  unknownMaxima: string[];
  problems: string[];
  assumptions: string[];
}

/**
 * min/desired/max as a scaler declares them. Baseline runs the desired count (min when no desired
 * is set); the worst case runs the maximum. An unknown maximum cannot be bounded.
 */
export function readScaling(
  fields: { min: string; desired: string; max: string },
  min: CountField,
  desired: CountField,
  max: CountField,
): ScalingRead {
  const unknownFields: string[] = [];
  const problems: string[] = [];
  const assumptions: string[] = [];
  if (max === UNDECIDABLE) unknownFields.push(fields.max);
  if (min === UNDECIDABLE && desired === undefined) unknownFields.push(fields.min);
  const unknownMaxima = max === UNDECIDABLE ? [fields.max] : [];
  if (unknownFields.length > 0) return { unknownFields, unknownMaxima, problems, assumptions };
  const lo = isKnown(min) ? min : 0;
  const hi = isKnown(max) ? max : undefined;
  let want: number;
  if (isKnown(desired)) {
    want = desired;
    assumptions.push(`baseline at desired ${fields.desired} = ${desired}`);
  } else {
    want = lo;
    assumptions.push(
      desired === UNDECIDABLE
        ? `${fields.desired} unknown: baseline at ${fields.min} = ${lo}`
        : `no ${fields.desired}: baseline at ${fields.min} = ${lo}`,
    );
  }
  if (hi !== undefined && lo > hi)
    problems.push(`${fields.min} (${lo}) is greater than ${fields.max} (${hi})`);
  if (isKnown(desired) && isKnown(min) && desired < min)
    problems.push(`${fields.desired} (${desired}) is less than ${fields.min} (${min})`);
  if (hi !== undefined && want > hi)
    problems.push(`${fields.desired} (${want}) is greater than ${fields.max} (${hi})`);
  if (hi !== undefined) assumptions.push(`worst case at ${fields.max} = ${hi}`);
  return { bounds: { min: lo, desired: want, max: hi }, unknownFields, unknownMaxima, problems, assumptions };
}
