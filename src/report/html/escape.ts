const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or attribute value from the plan, inert in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON inside `<script type="application/json">`: `<` is escaped so no value can close the script
 * element or open a comment, and the two line separators JSON allows but old parsers reject.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Code inlined in a `<script>` element must not contain its end tag (`<\/` means `</` in a JS
 * string or regex). A `<!--` could put the parser in its double-escaped state: refuse it.
 */
export function inlineScript(code: string): string {
  if (code.includes("<!--")) throw new Error("cannot inline a script that contains <!--");
  return code.replace(/<\/(script)/gi, "<\\/$1");
}
