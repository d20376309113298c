import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, configDigest } from "../../src/audit/index.js";
import { newRecordId } from "../../src/audit/record-id.js";

/** The same object with its keys in another order, at every level. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  const rotated = keys
    .slice(seed % Math.max(keys.length, 1))
    .concat(keys.slice(0, seed % Math.max(keys.length, 1)));
  return Object.fromEntries(
    rotated.reverse().map((k) => [k, reordered((value as Record<string, unknown>)[k], seed)]),
  );
}

describe("canonicalJson", () => {
  it("sorts keys at every level and adds no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: "é" }], c: true } })).toBe(
      '{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: new Decimal("10.50") })).toBe('{"b":"10.5"}');
  });

  it("round-trips any JSON value and ignores key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reordered(value, seed))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it("refuses values with no faithful JSON form", () => {
    expect(() => canonicalJson({ limit: Number.NaN })).toThrow("$.limit");
    expect(() => canonicalJson([1n])).toThrow("bigint");
  });
});

describe("configDigest", () => {
  const config = { budgets: { stack: 50000, teams: { ml: "20000.00" } }, levels: ["mandatory"], waivers: [] };

  it("is a SHA-256 hex digest that ignores key order", () => {
    expect(configDigest(config)).toMatch(/^[0-9a-f]{64}$/);
    expect(configDigest(reordered(config, 1))).toBe(configDigest(config));
  });

  it("changes with any value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(configDigest({ x: a })).not.toBe(configDigest({ x: b }));
      }),
    );
    expect(configDigest({ ...config, levels: ["advisory"] })).not.toBe(configDigest(config));
  });
});

describe("record ids", () => {
  it("are ULIDs that sort by time", () => {
    const earlier = newRecordId(Date.UTC(2025, 0, 1));
    const later = newRecordId(Date.UTC(2025, 0, 2));
    expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier < later).toBe(true);
    expect(newRecordId(0).slice(0, 10)).toBe("0000000000");
    expect(new Set(Array.from({ length: 1000 }, () => newRecordId(1))).size).toBe(1000);
  });
});
