/**
 * Reads the `.cpuprofile` files Node writes with `--cpu-prof` (one per thread: the main thread and
 * each worker) and sums the self time of each function over every thread: where orgwarden's CPU
 * goes, for `pnpm bench --profile`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeEntry {
  name: string;
  ms: number;
  share: number;
}

/** The `top` functions by self time over every profile in `dir`, and the total sampled time. */
export function summarizeProfiles(
  dir: string,
  top = 10,
): { totalMs: number; threads: number; entries: SelfTimeEntry[] } {
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    const names = new Map(profile.nodes.map((n) => [n.id, frameName(n.callFrame)]));
    for (let i = 0; i < profile.samples.length; i++) {
      const name = names.get(profile.samples[i] as number) ?? "?";
      const dt = profile.timeDeltas[i] ?? 0;
      totalUs += dt;
      selfUs.set(name, (selfUs.get(name) ?? 0) + dt);
    }
  }
  const entries = [...selfUs.entries()]
    // Idle is a thread waiting for I/O, not CPU.
    .filter(([name]) => name !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({
      name,
      ms: us / 1000,
      share: us / Math.max(1, totalUs - (selfUs.get("(idle)") ?? 0)),
    }));
  return { totalMs: (totalUs - (selfUs.get("(idle)") ?? 0)) / 1000, threads: files.length, entries };
}

function frameName(frame: ProfileNode["callFrame"]): string {
  const fn = frame.functionName || "(anonymous)";
  if (!frame.url) return fn;
  const path = frame.url.replace(/^file:\/\//, "");
  const short = path.includes("node_modules")
    ? path
        .slice(path.lastIndexOf("node_modules/") + "node_modules/".length)
        .replace(/^\.pnpm\/[^/]+\/node_modules\//, "")
    : relative(process.cwd(), path);
  return `${fn} ${short}:${frame.lineNumber + 1}`;
}

/** Prints the summary as a Markdown table. */
export function printProfile(dir: string, top = 10): void {
  const s = summarizeProfiles(dir, top);
  console.log(
    `\nCPU profile: ${(s.totalMs / 1000).toFixed(1)} s sampled over ${s.threads} threads; top ${top} by self time`,
  );
  console.log("\n| self ms | share | function |\n|---|---|---|");
  for (const e of s.entries)
    console.log(`| ${e.ms.toFixed(0)} | ${(e.share * 100).toFixed(1)} % | \`${e.name}\` |`);
}
