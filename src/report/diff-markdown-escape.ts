const REPLACEMENTS: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;" };

/**
 * Text from the plan (resource names, policy messages) made inert in GitHub-flavoured markdown:
 * no tags, no emphasis, code, links or math, no table breaks, no @-mentions, one line. One pass,
 * so an entity written for one character is never escaped again.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r/g, " ").replace(/[\\`*_[\]<>&|~$@]/g, (c) => REPLACEMENTS[c] ?? `\\${c}`);
}

/** Our own amounts: only the dollar sign needs escaping (two on a line could open a math span). */
export function markdownAmount(amount: string): string {
  return amount.replaceAll("$", "\\$");
}
