import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import { escapeMarkdown } from "../../src/report/diff-markdown-escape.js";
import { escapeHtml, inlineScript, jsonForScript } from "../../src/report/html/escape.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { previewReport } from "./support/pipeline.js";
import { instance, previewDoc, step } from "./support/preview-doc.js";

/** A resource name is anything after the URN's last `::`: here, markup, a table break and a mention. */
const HOSTILE = `x</script><img src=x onerror="alert(1)">|**boom**@ml-team[link](https://evil.example)`;
const STUB_LIBRARY = { version: "0.0.0", code: "window.Chart = function () {};" };

function hostileReport() {
  const box = instance(HOSTILE, "g5.xlarge", { id: "i-1" });
  const bigger = instance(HOSTILE, "g5.12xlarge", { id: "i-1" });
  return previewReport(previewDoc([step("update", box, bigger)]), {
    policyConfig: { "gpu-resource-budget": { monthlyLimitUsd: 1000 } },
    label: "plan <b>.json",
  });
}

describe("strings from the plan are inert in the reports", () => {
  const report = hostileReport();

  it("HTML: no markup from the plan survives, in text, attributes or the embedded data", () => {
    const html = renderHtmlReport(report, STUB_LIBRARY);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html.match(/<\/script>/g)).toHaveLength(3); // the data block, the library, the page script
    expect(html).toContain("x&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    // The data block keeps the name for the chart labels, with every `<` escaped.
    const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(data).not.toContain("<");
    expect(JSON.parse(data).bars.labels).toEqual([HOSTILE]);
  });

  it("markdown: no tag, link, emphasis, mention or extra table cell from the plan", () => {
    const md = diffMarkdown(report);
    expect(md).not.toContain("<img");
    expect(md).not.toContain("@ml-team");
    expect(md).not.toMatch(/[^\\]\[link\]/);
    const row = md.split("\n").find((l) => l.includes(" | update | "))!;
    // 8 cell separators for 7 columns; the name's own `|` is escaped.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
    expect(row).toContain(
      'x&lt;/script&gt;&lt;img src=x onerror="alert(1)"&gt;\\|\\*\\*boom\\*\\*&#64;ml-team',
    );
  });
});

describe("escaping properties", () => {
  it("escapeHtml leaves no markup character and round-trips", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        const back = out
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
        expect(back).toBe(s);
      }),
    );
  });

  it("escapeMarkdown keeps text on one line with every table pipe and tag escaped", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("|", "<", ">", "\n", "\\", "*", "@", "a", " ", "`", "$") }),
        (s) => {
          const out = escapeMarkdown(s);
          expect(out).not.toMatch(/[\n<>@]/);
          // Every pipe is preceded by an odd number of backslashes (an escaped pipe).
          for (const m of out.matchAll(/(\\*)\|/g)) expect(m[1]!.length % 2).toBe(1);
        },
      ),
    );
  });

  it("jsonForScript round-trips and cannot end its script element", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = jsonForScript(v);
        expect(out).not.toMatch(/<|>/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it("inlineScript neutralises a closing script tag and refuses a comment opener", () => {
    expect(inlineScript('var s = "</script>";')).toBe('var s = "<\\/script>";');
    expect(() => inlineScript("x <!-- y")).toThrow("cannot inline a script that contains <!--");
  });
});
