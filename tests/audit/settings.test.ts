import { describe, expect, it } from "vitest";
import { defaultAuditPath, shouldRecord } from "../../src/audit/index.js";
import { parseSince } from "../../src/audit/since.js";

describe("defaultAuditPath", () => {
  it("prefers COMPUTEGUARD_AUDIT_LOG, then XDG_STATE_HOME, then ~/.local/state", () => {
    expect(defaultAuditPath({ COMPUTEGUARD_AUDIT_LOG: "/var/log/cg.jsonl", XDG_STATE_HOME: "/s" })).toBe(
      "/var/log/cg.jsonl",
    );
    expect(defaultAuditPath({ XDG_STATE_HOME: "/state", HOME: "/home/a" })).toBe(
      "/state/computeguard/audit.jsonl",
    );
    expect(defaultAuditPath({ HOME: "/home/a" })).toBe("/home/a/.local/state/computeguard/audit.jsonl");
    // The XDG spec: a relative XDG_STATE_HOME is invalid and ignored.
    expect(defaultAuditPath({ XDG_STATE_HOME: "state", HOME: "/home/a" })).toBe(
      "/home/a/.local/state/computeguard/audit.jsonl",
    );
  });
});

describe("shouldRecord", () => {
  it("records every decision but passes, and passes only with COMPUTEGUARD_AUDIT_ALL=1", () => {
    for (const decision of ["blocked", "warned", "waived"] as const)
      expect(shouldRecord(decision, {})).toBe(true);
    expect(shouldRecord("passed", {})).toBe(false);
    expect(shouldRecord("passed", { COMPUTEGUARD_AUDIT_ALL: "1" })).toBe(true);
    expect(shouldRecord("passed", { COMPUTEGUARD_AUDIT_ALL: "0" })).toBe(false);
  });
});

describe("parseSince", () => {
  const now = new Date("2025-06-15T12:00:00Z");

  it("reads durations back from now and ISO dates", () => {
    expect(parseSince("7d", now)?.toISOString()).toBe("2025-06-08T12:00:00.000Z");
    expect(parseSince("12h", now)?.toISOString()).toBe("2025-06-15T00:00:00.000Z");
    expect(parseSince("30m", now)?.toISOString()).toBe("2025-06-15T11:30:00.000Z");
    expect(parseSince("2w", now)?.toISOString()).toBe("2025-06-01T12:00:00.000Z");
    expect(parseSince("2025-06-01", now)?.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    expect(parseSince("2025-06-01T08:00:00+02:00", now)?.toISOString()).toBe("2025-06-01T06:00:00.000Z");
  });

  it("returns null for anything else", () => {
    for (const text of ["", "7", "7 days", "-1d", "yesterday", "2025-13-45", "1e3d"])
      expect(parseSince(text, now)).toBeNull();
  });
});
