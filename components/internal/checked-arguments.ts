import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "./invalid-arguments.js";

/** Runs a component's argument checks; impossible arguments end the program with one line, no stack trace. */
export function checkedArguments<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentsError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
