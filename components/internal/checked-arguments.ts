import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "./invalid-arguments.js";

/**
 * Impossible arguments as Pulumi reports them: an InputPropertiesError, so a component served to
 * other languages (`pulumi package add`) answers Construct with each property path and reason,
 * and marked as a RunError, so a TypeScript program ends with the one line and no stack trace.
 */
export class ComponentArgumentsError extends pulumi.InputPropertiesError {
  readonly __pulumiRunError = true;

  constructor(error: InvalidArgumentsError) {
    super({
      message: error.message,
      errors: error.errors.map(({ propertyPath, reason }) => ({ propertyPath, reason })),
    });
    this.name = "ComponentArgumentsError";
  }
}

/** Runs a component's argument checks; impossible arguments end the program with one line, no stack trace. */
export function checkedArguments<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentsError) throw new ComponentArgumentsError(error);
    throw error;
  }
}
