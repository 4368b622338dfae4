import type { Response } from "express";

const HEARTBEAT_MS = 15_000;
const HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" };

/**
 * A Server-Sent Events response that writes nothing until it is opened: a route opens it
 * only after authentication and the permission check have passed, so a callback that fires
 * early has nowhere to write. After `close()` (or the client's hang-up) every write is dropped.
 */
export class EventStream {
  private opened = false;
  private ended = false;
  private heartbeat?: NodeJS.Timeout;
  private readonly onClose: (() => void)[] = [];

  constructor(private readonly res: Response) {
    res.on("close", () => this.close());
  }

  /** True once the client is gone or the stream was closed: nothing more will be written. */
  get closed(): boolean {
    return this.ended || this.res.destroyed;
  }

  /** Sends the headers and the `retry:` line, then keeps the connection warm with heartbeats. */
  open(extraHeaders: Record<string, string> = {}): void {
    if (this.opened || this.closed) return;
    this.opened = true;
    this.res.status(200).set({ ...HEADERS, ...extraHeaders });
    this.res.flushHeaders();
    this.res.write("retry: 2000\n\n");
    this.heartbeat = setInterval(() => this.write(": heartbeat\n\n"), HEARTBEAT_MS);
  }

  /** One event; dropped when the stream is not open, or (lossy) when the client cannot keep up. */
  send(event: string, data: unknown, opts: { id?: string; lossy?: boolean } = {}): void {
    if (opts.lossy && this.res.writableNeedDrain) return;
    this.write(`event: ${event}\n${opts.id ? `id: ${opts.id}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs `fn` once when the stream closes, whoever closes it. */
  whenClosed(fn: () => void): void {
    if (this.ended) fn();
    else this.onClose.push(fn);
  }

  /** Ends the response (if it was opened) and runs the close callbacks, once. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    // A stream never opened leaves the response untouched: its route still answers (404, 503, …).
    if (this.opened && !this.res.writableEnded) this.res.end();
    for (const fn of this.onClose.splice(0)) fn();
  }

  private write(chunk: string): void {
    if (this.opened && !this.closed) this.res.write(chunk);
  }
}
