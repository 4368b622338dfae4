import type { Fault } from "./faults";
import type { ScheduledFault } from "./scenario";

/** mulberry32: a small seeded generator, so that a printed seed replays the same schedules. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` schedules of 2 or 3 faults each, drawn from `faults` (a fault may repeat: two
 * worker kills), each at a random moment in the first 4 s of its sale, sorted by time.
 * Faults within a second or two of each other overlap: the second lands while the stack
 * is still recovering from the first.
 */
export function randomSchedules(faults: readonly Fault[], count: number, seed: number): ScheduledFault[][] {
  const next = generator(seed);
  return Array.from({ length: count }, () => {
    const n = 2 + Math.floor(next() * 2);
    return Array.from({ length: n }, () => ({ fault: faults[Math.floor(next() * faults.length)]!, atMs: 500 + Math.floor(next() * 3500) })).sort((a, b) => a.atMs - b.atMs);
  });
}
