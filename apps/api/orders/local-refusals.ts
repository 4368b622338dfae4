import { AppError } from "@flashsale/domain";

/** How long a refusal the gate gave is repeated from memory: the longest a unit back in Redis can go unsold. */
export const LOCAL_REFUSAL_MS = 100;

type Remembered = { code: "SOLD_OUT" | "SALE_ENDED"; message: string; quantity: number; until: number };

/**
 * What this API process heard from the gate about items it cannot sell: sold out (for at
 * least a quantity) or sale ended. During a spike thousands of buyers per second ask for an
 * item that is gone; each process asks Redis again at most once per LOCAL_REFUSAL_MS per
 * item and answers the rest from memory. The memory is forgotten when units come back (this
 * process's own restocks, refunds and voids at once; the other processes' and the workers'
 * releases through the status channel), and expires by itself after LOCAL_REFUSAL_MS, so even
 * a lost pub/sub message never leaves a unit unsold for longer than that.
 *
 * Only orders whose answer the gate would give the same way are answered from memory: one
 * line, no Idempotency-Key (a repeat must replay its first answer). Such a buyer who is also
 * at the item's limit per buyer hears SOLD_OUT where the gate would say LIMIT_EXCEEDED.
 */
export class LocalRefusals {
  private readonly items = new Map<string, Remembered>();

  constructor(private readonly clock: () => number = Date.now, private readonly ttlMs = LOCAL_REFUSAL_MS) {}

  /** The remembered refusal, when the order is one the memory may answer; undefined otherwise. */
  known(lines: readonly { itemId: string; quantity: number }[], idempotencyKey: string | undefined): AppError | undefined {
    if (lines.length !== 1 || idempotencyKey) return undefined;
    const line = lines[0]!;
    const r = this.items.get(line.itemId);
    if (!r) return undefined;
    if (this.clock() >= r.until) {
      this.items.delete(line.itemId);
      return undefined;
    }
    return r.code === "SALE_ENDED" || line.quantity >= r.quantity ? new AppError(r.code, r.message) : undefined;
  }

  /** Forgets every refusal: units came back somewhere (which items is not worth knowing; the next ask per item refills it). */
  forgetAll(): void {
    this.items.clear();
  }

  /** Remembers a refusal the gate gave a one-line order. */
  heard(lines: readonly { itemId: string; quantity: number }[], err: unknown): void {
    if (lines.length !== 1 || !(err instanceof AppError)) return;
    if (err.code !== "SOLD_OUT" && err.code !== "SALE_ENDED") return;
    const line = lines[0]!;
    const prev = this.items.get(line.itemId);
    const quantity = prev && prev.code === err.code && this.clock() < prev.until ? Math.min(prev.quantity, line.quantity) : line.quantity;
    this.items.set(line.itemId, { code: err.code, message: err.message, quantity, until: this.clock() + this.ttlMs });
  }
}
