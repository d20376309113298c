/** Edit distance (insert, delete, substitute), case-insensitive: `monthlylimit` is one from `monthlyLimit`. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length]!;
}

/**
 * The known name a typo most likely meant: the nearest within a third of its length (at least 2
 * edits), or one that starts with it (`monthlyLimit` -> `monthlyLimitUsd`). Undefined when none is close.
 */
export function closest(given: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const prefix = name.toLowerCase().startsWith(given.toLowerCase()) && given.length >= 3;
    const d = prefix ? 0.5 : distance(given, name);
    if (d <= Math.max(2, Math.floor(given.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** `; did you mean X?` or, with nothing close, the names there are. */
export function suggestion(given: string, known: readonly string[]): string {
  const near = closest(given, known);
  if (near) return `; did you mean ${near}?`;
  return known.length > 0 ? ` (known: ${known.join(", ")})` : " (it takes no settings)";
}
