/** Orders per second in one interval: accepted (new orders), completed, and refused (rejected or failed). */
export interface SalePoint {
  at: number;
  accepted: number;
  completed: number;
  refused: number;
}

/** The order counts a point is derived from (the shape of GET /metrics' orderCounts). */
export interface SaleCounts {
  totalOrders: number;
  orderCounts: Partial<Record<"PENDING" | "PROCESSING" | "COMPLETED" | "REJECTED" | "FAILED" | "REFUNDED", number | null>>;
}

export interface SaleReading<M extends SaleCounts, I> {
  metrics: M | null;
  items: I[];
}

export interface SaleSnapshot<M extends SaleCounts, I> extends SaleReading<M, I> {
  at: string;
  point: SalePoint | null;
}

type Listener<M extends SaleCounts, I> = (s: SaleSnapshot<M, I>) => void;

const ever = (c: SaleCounts) => ({
  // A refund turns COMPLETED into REFUNDED: counted together, "completed" never goes back.
  completed: (c.orderCounts.COMPLETED ?? 0) + (c.orderCounts.REFUNDED ?? 0),
  refused: (c.orderCounts.REJECTED ?? 0) + (c.orderCounts.FAILED ?? 0),
});

/**
 * One reading of the sale per interval per API process, however many dashboards watch: reads
 * only while someone listens, shares each reading with every listener, and keeps the last
 * minutes of per-second points so a dashboard opened mid-sale draws its chart at once.
 */
export class SaleSnapshots<M extends SaleCounts, I> {
  private readonly listeners = new Set<Listener<M, I>>();
  private readonly points: SalePoint[] = [];
  private latest: SaleSnapshot<M, I> | undefined;
  private previous: { at: number; counts: SaleCounts } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;

  constructor(
    private readonly read: () => Promise<SaleReading<M, I>>,
    private readonly everyMs = 1000,
    private readonly keepMs = 5 * 60_000,
  ) {}

  /** Starts delivering snapshots to `listener`; returns the history so far and how to stop. */
  subscribe(listener: Listener<M, I>): { history: SalePoint[]; latest: SaleSnapshot<M, I> | undefined; unsubscribe: () => void } {
    this.listeners.add(listener);
    if (!this.running) {
      this.running = true;
      this.previous = undefined; // counts from before an idle gap would smear into one point
      if (!this.ticking) void this.tick(); // else the reading in flight schedules the next

    }
    return {
      history: this.points.slice(),
      latest: this.latest,
      unsubscribe: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.halt();
      },
    };
  }

  private halt(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    this.ticking = true;
    try {
      const reading = await this.read();
      if (!this.running) return;
      const snapshot: SaleSnapshot<M, I> = { at: new Date(started).toISOString(), point: this.pointAt(started, reading.metrics), ...reading };
      this.latest = snapshot;
      for (const listener of this.listeners) listener(snapshot);
    } catch {
      // A failed reading (database away) skips one interval; the dashboard shows it as stale.
    } finally {
      this.ticking = false;
    }
    if (this.running) this.timer = setTimeout(() => void this.tick(), Math.max(0, this.everyMs - (Date.now() - started)));
  }

  private pointAt(at: number, counts: SaleCounts | null): SalePoint | null {
    if (!counts || counts.orderCounts.PENDING === null || counts.orderCounts.PROCESSING === null) {
      // Without Redis's open orders the total dips and would spring back as a false burst.
      this.previous = undefined;
      return null;
    }
    const prev = this.previous;
    this.previous = { at, counts };
    if (!prev) return null;
    const seconds = Math.max(0.001, (at - prev.at) / 1000);
    const perSecond = (now: number, before: number) => Math.max(0, Math.round(((now - before) / seconds) * 10) / 10);
    const a = ever(counts);
    const b = ever(prev.counts);
    const point = {
      at,
      accepted: perSecond(counts.totalOrders, prev.counts.totalOrders),
      completed: perSecond(a.completed, b.completed),
      refused: perSecond(a.refused, b.refused),
    };
    this.points.push(point);
    while (this.points.length && this.points[0]!.at < at - this.keepMs) this.points.shift();
    return point;
  }
}
