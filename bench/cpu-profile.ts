import { readFileSync } from "node:fs";

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  share: number;
}

/** Where a frame's code lives: a package, a repository file, node itself, or the VM's own work. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node internals";
  const repo = /\/(dist\/)?(src|policypack|bench|tests)\/(.*)$/.exec(url);
  return repo ? `${repo[2]}/${repo[3]}` : url;
}

/**
 * Self time by area and by function, busiest first; idle time is left out of the shares. With
 * `from`, samples before the first one whose frame's URL contains it are skipped (start-up).
 */
export function summarizeCpuProfile(
  file: string,
  top = 15,
  from?: string,
): { byArea: ProfileLine[]; byFunction: ProfileLine[]; busyMs: number } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let started = from === undefined;
  profile.samples.forEach((id, i) => {
    started ||= byId.get(id)!.callFrame.url.includes(from!);
    if (started) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const area = new Map<string, number>();
  const fn = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") continue;
    busy += us;
    const a = areaOf(frame.url, frame.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
    const f = `${frame.functionName || "(anonymous)"} ${a}:${frame.lineNumber + 1}`;
    fn.set(f, (fn.get(f) ?? 0) + us);
  }
  const lines = (m: Map<string, number>) =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busy ? us / busy : 0 }));
  return { byArea: lines(area), byFunction: lines(fn), busyMs: busy / 1000 };
}
