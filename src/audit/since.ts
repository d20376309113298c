const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * "7d", "12h", "30m", "2w" (that long before `now`) or an ISO date / date-time.
 * Returns null for anything else so the caller can name the flag in its error.
 */
export function parseSince(text: string, now: Date = new Date()): Date | null {
  const trimmed = text.trim();
  const duration = /^(\d+)([mhdw])$/.exec(trimmed);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2]!]!);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed))
    return null;
  const instant = Date.parse(trimmed);
  return Number.isNaN(instant) ? null : new Date(instant);
}
