/**
 * Impossible component arguments, all of them in one line: `GpuNodeGroup "gpu": minSize (3) is
 * greater than maxSize (2); instanceTypes[0]: ...`. Free of @pulumi so validation is testable alone.
 */
export class InvalidArgumentsError extends Error {
  /** Each problem's text, as in the message. */
  readonly problems: readonly string[];

  constructor(
    readonly component: string,
    readonly resourceName: string,
    /** Each problem with the argument it is about, as Pulumi's InputPropertiesError carries them. */
    readonly errors: readonly ArgumentProblem[],
  ) {
    const problems = errors.map((e) => e.text);
    super(`${component} "${resourceName}": ${problems.join("; ")}`);
    this.name = "InvalidArgumentsError";
    this.problems = problems;
  }
}

export interface ArgumentProblem {
  /** The argument's path, e.g. `instanceTypes[0]`, `autoscaling.maxInstances`. */
  propertyPath: string;
  reason: string;
  /** How the message says it: `path: reason`, or a sentence naming several arguments. */
  text: string;
}

/** Collects every problem with a component's arguments before reporting them together. */
export class ArgumentProblems {
  private readonly found: ArgumentProblem[] = [];

  add(field: string, problem: string): void {
    this.found.push({ propertyPath: field, reason: problem, text: `${field}: ${problem}` });
  }

  /** A problem that involves several fields and names them itself; `field` is the one to change. */
  addRelation(field: string, text: string): void {
    this.found.push({ propertyPath: field, reason: text, text });
  }

  get count(): number {
    return this.found.length;
  }

  throwIfAny(component: string, resourceName: string): void {
    if (this.found.length > 0) throw new InvalidArgumentsError(component, resourceName, this.found);
  }
}

/** Callers in other languages or plain JavaScript can omit the arguments object altogether. */
export function requireArgumentsObject(component: string, resourceName: string, args: unknown): void {
  if (args === null || typeof args !== "object") {
    const reason = `expected an object, got ${JSON.stringify(args)}`;
    throw new InvalidArgumentsError(component, resourceName, [
      { propertyPath: "args", reason, text: `args: ${reason}` },
    ]);
  }
}
