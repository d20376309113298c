import { AVAILABILITY_ZONE, REGION } from "../../src/estimate/region.js";
import { MAX_COUNT } from "../../src/resources/props.js";
import type { ArgumentProblems } from "./invalid-arguments.js";

/** A whole number in [min, MAX_COUNT]; undefined is reported as missing when required. */
export function checkCount(
  problems: ArgumentProblems,
  field: string,
  value: unknown,
  options: { min?: number; max?: number; required?: boolean } = {},
): value is number {
  const { min = 0, max = MAX_COUNT, required = true } = options;
  if (value === undefined || value === null) {
    if (required) problems.add(field, "required");
    return false;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.add(field, `expected a number, got ${JSON.stringify(value)}`);
    return false;
  }
  if (!Number.isInteger(value)) {
    problems.add(field, `must be a whole number, got ${value}`);
    return false;
  }
  if (value < 0 && min >= 0) {
    problems.add(field, `must not be negative, got ${value}`);
    return false;
  }
  if (value < min) {
    problems.add(field, `must be at least ${min}, got ${value}`);
    return false;
  }
  if (value > max) {
    problems.add(field, `must be at most ${max}, got ${value}`);
    return false;
  }
  return true;
}

/** A finite number greater than 0 (or at least 0), optionally at most `max`. */
export function checkAmount(
  problems: ArgumentProblems,
  field: string,
  value: unknown,
  options: { allowZero?: boolean; max?: number } = {},
): value is number {
  if (value === undefined || value === null) return false;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.add(field, `expected a finite number, got ${JSON.stringify(value)}`);
    return false;
  }
  if (value < 0 || (value === 0 && !options.allowZero)) {
    problems.add(field, `must be ${options.allowZero ? "at least 0" : "greater than 0"}, got ${value}`);
    return false;
  }
  if (options.max !== undefined && value > options.max) {
    problems.add(field, `must be at most ${options.max}, got ${value}`);
    return false;
  }
  return true;
}

export function checkText(
  problems: ArgumentProblems,
  field: string,
  value: unknown,
  required = false,
): value is string {
  if (value === undefined || value === null) {
    if (required) problems.add(field, "required");
    return false;
  }
  if (typeof value !== "string" || value.trim() === "") {
    problems.add(field, `expected a non-empty string, got ${JSON.stringify(value)}`);
    return false;
  }
  return true;
}

/** One of a fixed set of strings (args are plain `string`s so every Pulumi language can pass them). */
export function checkChoice<T extends string>(
  problems: ArgumentProblems,
  field: string,
  value: unknown,
  choices: readonly T[],
): value is T {
  if (value === undefined || value === null) return false;
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    problems.add(
      field,
      `must be one of ${choices.map((c) => `"${c}"`).join(", ")}, got ${JSON.stringify(value)}`,
    );
    return false;
  }
  return true;
}

export function checkRegion(problems: ArgumentProblems, field: string, value: unknown): value is string {
  if (value === undefined || value === null) return false;
  if (typeof value !== "string" || !REGION.test(value)) {
    problems.add(field, `expected an AWS region such as "us-east-1", got ${JSON.stringify(value)}`);
    return false;
  }
  return true;
}

/** The region an availability zone is in, or undefined (with a problem) when it is not a zone name. */
export function regionOfZone(problems: ArgumentProblems, field: string, zone: string): string | undefined {
  const match = AVAILABILITY_ZONE.exec(zone);
  if (!match?.[1]) {
    problems.add(field, `expected an availability zone such as "us-east-1a", got ${JSON.stringify(zone)}`);
    return undefined;
  }
  return match[1];
}

/** min <= desired <= max, each already checked as a count. */
export function checkBounds(
  problems: ArgumentProblems,
  fields: { min: string; desired: string; max: string },
  min: number | undefined,
  desired: number | undefined,
  max: number | undefined,
): void {
  if (min !== undefined && max !== undefined && min > max) {
    problems.addRelation(fields.max, `${fields.min} (${min}) is greater than ${fields.max} (${max})`);
    return;
  }
  if (desired === undefined) return;
  if (min !== undefined && desired < min) {
    problems.addRelation(fields.desired, `${fields.desired} (${desired}) is below ${fields.min} (${min})`);
  }
  if (max !== undefined && desired > max) {
    problems.addRelation(fields.desired, `${fields.desired} (${desired}) is above ${fields.max} (${max})`);
  }
}
