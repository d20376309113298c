import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvRow } from "../../src/audit/format/csv.js";
import { parseCsv } from "./helpers/csv-parse.js";

describe("CSV output", () => {
  it("quotes only fields that need it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(12)).toBe("12");
  });

  it("any row of strings reads back unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: "binary" }), { minLength: 2, maxLength: 6 }), { maxLength: 5 }),
        (rows) => {
          expect(parseCsv(rows.map(csvRow).join(""))).toEqual(rows);
        },
      ),
    );
  });
});
