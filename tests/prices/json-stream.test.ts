import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  JsonNumber,
  type JsonPath,
  JsonStreamParser,
  JsonSyntaxError,
  type JsonValue,
  parseJsonStream,
  type Visit,
} from "../../src/catalog/import/json-stream.js";

/** Plain JS value for comparison with JSON.parse: numbers from their text, prototype-less objects copied. */
function plain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Parses `text`, split at the given cut points, collecting the root value. */
function collect(text: string, cuts: number[] = []): unknown {
  let root: JsonValue | undefined;
  const parser = new JsonStreamParser({
    enterContainer: () => "collect",
    value: (_path, value) => {
      root = value;
    },
  });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.write(text.slice(from, cut));
    from = cut;
  }
  parser.write(text.slice(from));
  parser.end();
  return plain(root as JsonValue);
}

function syntaxError(text: string, cuts: number[] = []): JsonSyntaxError {
  try {
    collect(text, cuts);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

/** JSON values whose strings are dense in the characters that need escaping. */
const trickyString = fc.string({
  unit: fc.constantFrom('"', "\\", "a", "é", "\n", "\t", "😀", "/", "\u0001", " "),
});
const trickyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    trickyString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(trickyString, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const cutsFor = (text: string, raw: number[]) => raw.map((c) => c % (text.length + 1));

describe("JsonStreamParser", () => {
  it("builds the same value as JSON.parse whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: "binary" }),
        fc.constantFrom(0, 1, 2, 4),
        fc.array(fc.nat(), { maxLength: 12 }),
        (value, indent, rawCuts) => {
          const text = JSON.stringify(value, null, indent);
          const cuts = rawCuts.map((c) => c % (text.length + 1));
          expect(collect(text, cuts)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("builds values full of escapes the same as JSON.parse whatever the chunking", () => {
    fc.assert(
      fc.property(trickyJson, fc.array(fc.nat(), { maxLength: 12 }), (value, rawCuts) => {
        const text = JSON.stringify(value);
        expect(collect(text, cutsFor(text, rawCuts))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("finds the end of a skipped container whatever its strings hold and however it is cut", () => {
    fc.assert(
      fc.property(trickyJson, fc.array(fc.nat(), { maxLength: 12 }), (value, rawCuts) => {
        const text = JSON.stringify({ skipped: [value, { inner: value }], after: "marker" });
        const seen: unknown[] = [];
        const parser = new JsonStreamParser({
          enterContainer: (path) => (path.length === 0 ? "descend" : "skip"),
          value: (path, v) => seen.push([path.join("."), v]),
        });
        let from = 0;
        for (const cut of cutsFor(text, rawCuts).sort((a, b) => a - b)) {
          parser.write(text.slice(from, cut));
          from = cut;
        }
        parser.write(text.slice(from));
        parser.end();
        expect(seen).toEqual([["after", "marker"]]);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes every escape, including surrogate pairs and an escaped quote cut between chunks", () => {
    const text = '{"s":"q\\"b\\\\s\\/n\\nt\\tr\\ru\\u00e9\\ud83d\\ude00f\\fb\\b"}';
    const expected = JSON.parse(text);
    for (let cut = 0; cut <= text.length; cut++) expect(collect(text, [cut])).toEqual(expected);
  });

  it("keeps numbers as their source text", () => {
    const value = collect('{"p":55.0400000000,"e":-1.5e-7}') as Record<string, unknown>;
    expect(value).toEqual({ p: 55.04, e: -1.5e-7 });
    let raw: JsonValue | undefined;
    const parser = new JsonStreamParser({ enterContainer: () => "collect", value: (_p, v) => (raw = v) });
    parser.write("[55.0400000000, 1e400]");
    parser.end();
    expect((raw as JsonNumber[]).map((n) => n.text)).toEqual(["55.0400000000", "1e400"]);
  });

  it("treats a __proto__ key as data", () => {
    const value = collect('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports descended scalars and collected containers by path, and nothing from skipped ones", () => {
    const seen: [string, unknown][] = [];
    const parser = new JsonStreamParser({
      enterContainer: (path: JsonPath): Visit => {
        if (path.length === 0 || path[0] === "walk") return "descend";
        return path[0] === "keep" ? "collect" : "skip";
      },
      value: (path, value) => {
        seen.push([path.join("."), plain(value)]);
      },
    });
    const text =
      '{"a": 1, "walk": [true, {"x": "y"}, [null]], "keep": {"k": [1, "2"]}, "drop": {"d": [1, 2, {"e": "\\\\"}]}, "z": "end"}';
    for (let i = 0; i < text.length; i += 5) parser.write(text.slice(i, i + 5));
    parser.end();
    expect(seen).toEqual([
      ["a", 1],
      ["walk.0", true],
      ["walk.1.x", "y"],
      ["walk.2.0", null],
      ["keep", { k: [1, "2"] }],
      ["z", "end"],
    ]);
  });

  it("still checks the syntax of skipped containers", () => {
    const parser = new JsonStreamParser({
      enterContainer: (p) => (p.length === 0 ? "descend" : "skip"),
      value: () => {},
    });
    expect(() => parser.write('{"drop": {"a": [1, 2,, 3]}}')).toThrow('unexpected character ","');
  });

  it.each([
    ["", "empty input"],
    ["   \n ", "empty input"],
    ['{"a": 1,}', 'unexpected character "}" (expected a key) at line 1, column 9'],
    ['{"a": [1, 2', "unexpected end of input inside an array"],
    ['{"a": {"b": 1}', "unexpected end of input inside an object"],
    ['{"a": "abc', "unexpected end of input inside a string"],
    ['{"a": tru}', 'invalid literal "tru"'],
    ["[1 2]", "unexpected character \"2\" (expected ',' or the end of the container)"],
    ['{"a":"x\\q"}', 'invalid escape "\\q" in a string'],
    ['["\\u12G4"]', 'invalid \\u escape "\\u12G4"'],
    ["[01]", 'invalid number "01"'],
    ["[-]", 'invalid number "-"'],
    ["{} {}", "unexpected data after the end of the document"],
    ['{"a" 1}', "unexpected character \"1\" (expected ':')"],
    ['{"a": 1]', 'unexpected character "]"'],
    ['{\n  "a": 1,\n  "b": ?\n}', 'unexpected character "?" (expected a value) at line 3, column 8'],
  ])("rejects %j: %s", (text, message) => {
    expect(syntaxError(text).message).toContain(message);
  });

  it("reports the same error position however the text is cut", () => {
    const text = '{\n  "products" : {\n    "A" : { "x" : [1, 2 }\n  }\n}';
    const whole = syntaxError(text).message;
    expect(whole).toBe(
      "unexpected character \"}\" (expected ',' or the end of the container) at line 3, column 25",
    );
    for (let cut = 0; cut <= text.length; cut++) expect(syntaxError(text, [cut]).message).toBe(whole);
  });
});

describe("parseJsonStream", () => {
  async function* bytes(buffer: Buffer, size: number) {
    for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
  }

  it("decodes UTF-8 split inside multi-byte characters", async () => {
    const value = { name: "Zürich – 東京 😀", list: ["é", "ß"] };
    const buffer = Buffer.from(JSON.stringify(value));
    for (const size of [1, 2, 3, 5]) {
      let root: JsonValue | undefined;
      await parseJsonStream(bytes(buffer, size), {
        enterContainer: () => "collect",
        value: (_p, v) => (root = v),
      });
      expect(plain(root as JsonValue)).toEqual(value);
    }
  });

  it("rejects bytes that are not UTF-8", async () => {
    const buffer = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expect(
      parseJsonStream(bytes(buffer, 4), { enterContainer: () => "collect", value: () => {} }),
    ).rejects.toMatchObject({ code: "ERR_ENCODING_INVALID_ENCODED_DATA" });
  });
});
