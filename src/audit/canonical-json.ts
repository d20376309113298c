/**
 * JSON with object keys sorted (UTF-16 code-unit order) and no whitespace: the same value always
 * gives the same bytes, so it can be hashed. Numbers use JavaScript's shortest round-trip form,
 * which makes this RFC 8785 (JCS) compatible for the values audit records and configs hold.
 * Values with toJSON (Decimal, Date) serialise as JSON.stringify would; undefined object members
 * are dropped. Non-finite numbers, bigints and symbols throw: they have no faithful JSON form.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, "$");
}

function serialise(input: unknown, path: string): string {
  const value =
    input !== null &&
    typeof input === "object" &&
    typeof (input as { toJSON?: unknown }).toJSON === "function"
      ? (input as { toJSON: () => unknown }).toJSON()
      : input;
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (isAbsent(item) ? "null" : serialise(item, `${path}[${i}]`))).join(",")}]`;
      }
      const members = Object.keys(value)
        .sort()
        .filter((key) => !isAbsent((value as Record<string, unknown>)[key]))
        .map(
          (key) =>
            `${JSON.stringify(key)}:${serialise((value as Record<string, unknown>)[key], `${path}.${key}`)}`,
        );
      return `{${members.join(",")}}`;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}

function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === "function";
}
