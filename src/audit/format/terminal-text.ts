/**
 * Makes record text safe to print on a terminal: control characters (ANSI escapes a resource
 * name could smuggle in) are shown as \u escapes. Newlines are kept only when `multiline`.
 */
export function terminalText(text: string, multiline = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    multiline && c === "\n" ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
