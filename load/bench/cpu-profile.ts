import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where a frame's code lives: an npm package, a part of flashsale, Node itself, or V8's own buckets. */
function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return url.replace(/^node:(internal\/)?/, "node:").split("/").slice(0, 2).join("/");
  const own = /\/(apps\/[^/]+|packages\/[^/]+|load)\//.exec(url);
  return own ? own[1]! : url;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  byOwner: { owner: string; pct: number }[];
  byFunction: { fn: string; pct: number }[];
}

/** Self time of a V8 .cpuprofile by package and by function, as shares of the busy (non-idle) time. */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const owners = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName || "(anonymous)";
    if (fn === "(idle)") {
      idle += us;
      continue;
    }
    busy += us;
    const o = owner(n.callFrame.url, fn);
    owners.set(o, (owners.get(o) ?? 0) + us);
    const where = n.callFrame.url ? `${o}:${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}` : o;
    fns.set(`${fn} (${where})`, (fns.get(`${fn} (${where})`) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ k, pct: (100 * us) / busy }));
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    byOwner: rank(owners).map(({ k, pct }) => ({ owner: k, pct })),
    byFunction: rank(fns).map(({ k, pct }) => ({ fn: k, pct })),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`busy ${Math.round(s.busyMs)} ms, idle ${Math.round(s.idleMs)} ms; self time by package:`];
  for (const o of s.byOwner) lines.push(`  ${o.pct.toFixed(1).padStart(5)}%  ${o.owner}`);
  lines.push("self time by function:");
  for (const f of s.byFunction) lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.fn}`);
  return lines.join("\n");
}
