/**
 * Impossible component arguments, all of them in one line: `GpuNodeGroup "gpu": minSize (3) is
 * greater than maxSize (2); instanceTypes[0]: ...`. Free of @pulumi so validation is testable alone.
 */
export class InvalidArgumentsError extends Error {
  constructor(
    readonly component: string,
    readonly resourceName: string,
    readonly problems: readonly string[],
  ) {
    super(`${component} "${resourceName}": ${problems.join("; ")}`);
    this.name = "InvalidArgumentsError";
  }
}

/** Collects every problem with a component's arguments before reporting them together. */
export class ArgumentProblems {
  private readonly found: string[] = [];

  add(field: string, problem: string): void {
    this.found.push(`${field}: ${problem}`);
  }

  /** A problem that involves several fields and names them itself. */
  addRelation(text: string): void {
    this.found.push(text);
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
    throw new InvalidArgumentsError(component, resourceName, [
      `args: expected an object, got ${JSON.stringify(args)}`,
    ]);
  }
}
