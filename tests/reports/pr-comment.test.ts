import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffMarkdown, PR_COMMENT_LIMIT, prCommentMarker } from "../../src/report/diff-markdown.js";
import { rowMark } from "../../src/report/diff-model.js";
import { UNKNOWN } from "../../src/unknown.js";
import { PLANS, SCALE } from "./support/cli.js";
import { expectGoldenText } from "./support/golden-text.js";
import { previewReport, readFixture } from "./support/pipeline.js";
import { instance, previewDoc, type Step, step } from "./support/preview-doc.js";

const TYPES = [
  "g5.xlarge",
  "g5.12xlarge",
  "g6.xlarge",
  "p4d.24xlarge",
  "g4dn.xlarge",
  "p5.48xlarge",
  "inf2.xlarge",
];

/**
 * A change to `n` GPU boxes, the same every run: creates, resizes, replacements and deletes across
 * seven instance types, every 23rd one with an instance type known only after apply (not priced),
 * and names of every length (some long, some with markdown in them).
 */
function bigChange(n: number, nameOf = (i: number) => `box-${String(i).padStart(3, "0")}`): Step[] {
  return Array.from({ length: n }, (_, i) => {
    const name = nameOf(i);
    const type = TYPES[i % TYPES.length]!;
    const smaller = TYPES[(i + 3) % TYPES.length]!;
    switch (i % 4) {
      case 0:
        return step("create", undefined, instance(name, i % 23 === 0 ? UNKNOWN : type));
      case 1:
        return step("update", instance(name, smaller), instance(name, type));
      case 2:
        return step("replace", instance(name, type), instance(name, smaller));
      default:
        return step("delete", instance(name, type));
    }
  });
}

const budgets = readFixture(`${PLANS}/budgets.json`);

describe("the PR comment", () => {
  const report = previewReport(previewDoc(bigChange(500)), {
    label: "/home/runner/work/infra/infra/plans/preview-prod.json",
    policyConfig: budgets,
  });
  const comment = diffMarkdown(report);
  const lines = comment.split("\n");

  it("golden: a 500-resource change fits GitHub's 65,536-character limit", () => {
    expect(report.resources).toHaveLength(500);
    expect(comment.length).toBeLessThanOrEqual(PR_COMMENT_LIMIT);
    // It is cut down, not empty: hundreds of rows and the findings are still there.
    expect(comment.length).toBeGreaterThan(PR_COMMENT_LIMIT / 2);
    expectGoldenText("pr-comment-500.md", comment);
  });

  it("starts with the hidden marker, is titled computeguard and leads with the verdict", () => {
    expect(lines[0]).toBe("<!-- computeguard:cost-report stack=dev -->");
    expect(lines[1]).toBe("### computeguard: ⛔ BLOCKED");
    expect(lines[3]).toBe("> [!CAUTION]");
    const c = report.gate!.counts;
    expect(lines[4]).toBe(
      `> **BLOCKED**: ${c.blocked} blocked, ${c.warning} warning${c.warning === 1 ? "" : "s"}, ${report.diff.notPriced.new} not priced; fails \`--fail-on blocked\``,
    );
  });

  it("names the plan by file name, never by a path on the runner", () => {
    expect(comment).toContain("preview preview-prod.json");
    expect(comment).not.toContain("/home/runner");
    const windows = previewReport(readFixture(SCALE), { label: "C:\\actions\\work\\plan.json" });
    expect(diffMarkdown(windows)).toContain("preview plan.json ·");
    expect(diffMarkdown(windows)).not.toContain("actions");
  });

  it("a change too large to list whole lists blocked, warned and unpriced rows first, then summarises the rest with counts", () => {
    // 2,000 boxes: more rows than fit (the 500-resource golden above may fit whole).
    const big = previewReport(previewDoc(bigChange(2000)), { policyConfig: budgets });
    const bigComment = diffMarkdown(big);
    expect(bigComment.length).toBeLessThanOrEqual(PR_COMMENT_LIMIT);
    const bigLines = bigComment.split("\n");
    const rows = bigLines.filter((l) => /^\| .* \| (create|update|replace|delete|unchanged) \| /.test(l));
    const more = bigLines.find((l) => l.includes("more**"));
    expect(more, "a 2,000-resource comment must be cut down").toBeDefined();
    const hidden = Number(/\*\*… (\d+) more\*\*/.exec(more!)![1]);
    expect(rows.length + hidden).toBe(2000);
    expect(rows.length).toBeGreaterThan(100);
    expect(bigComment).toContain(`${rows.length} of 2000 changed resources listed`);
    // Marks never rise again down the table: most severe first.
    const rank = (l: string) =>
      l.includes("**BLOCKED**") ? 4 : l.includes("**WARNING**") ? 3 : l.includes("**NOT PRICED**") ? 2 : 0;
    const ranks = rows.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // What was cut is counted: the hidden rows' own marks.
    const ranked = big.resources.map(rowMark);
    const blocked = ranked.filter((m) => m === "blocked").length;
    const shownBlocked = rows.filter((l) => l.includes("**BLOCKED**")).length;
    if (blocked > shownBlocked) expect(more).toContain(`${blocked - shownBlocked} blocked`);
    // Findings: the rest summarised by outcome.
    const found = bigLines.filter((l) => /^- (⛔|⚠️|🟦) \*\*/.test(l)).length;
    const restLine = bigLines.find((l) => l.startsWith("- … and ") && l.includes("more finding(s)"));
    const total = big.gate!.counts.blocked + big.gate!.counts.warning + big.gate!.counts.waived;
    if (found < total) expect(restLine).toContain(`… and ${total - found} more finding(s)`);
    else expect(restLine).toBeUndefined();
  });

  it("a small change is shown whole: no summary line, every detail", () => {
    const small = diffMarkdown(previewReport(previewDoc(bigChange(12)), { policyConfig: budgets }));
    expect(small).not.toContain("more**");
    expect(small).not.toContain("more finding(s)");
    expect(small).toContain("<details><summary>Line items and assumptions</summary>");
  });

  it("fits the limit whatever the size of the change and the length of its names", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.array(fc.string({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 5 }),
        (n, names) => {
          const doc = previewDoc(bigChange(n, (i) => `${names[i % names.length]}-${i}`));
          const text = diffMarkdown(previewReport(doc, { policyConfig: budgets }));
          expect(text.length).toBeLessThanOrEqual(PR_COMMENT_LIMIT);
          expect(text.startsWith(prCommentMarker("dev"))).toBe(true);
        },
      ),
      { numRuns: 12, seed: 16 },
    );
  }, 120_000);

  it("a stack name cannot close the marker early", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("-", ">", "<", "!", " ", "a", "\n") }), (stack) => {
        const marker = prCommentMarker(stack);
        expect(marker.indexOf("-->")).toBe(marker.length - 3);
        expect(marker).not.toMatch(/\s.*\s.*\s.*\s/);
      }),
    );
    expect(prCommentMarker("team-a/prod.eu")).toBe("<!-- computeguard:cost-report stack=team-a/prod.eu -->");
    expect(prCommentMarker("")).toBe("<!-- computeguard:cost-report stack=unknown -->");
  });
});
