import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { EventEmitter } from "node:events";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * One AMQP connection with one confirm channel that reconnects with capped exponential
 * backoff whenever the broker goes away, and runs `onChannel` (declare, consume) each time.
 * Given a cluster's nodes, it connects to the first that answers and, on loss or refusal,
 * tries the next in turn (round robin), so a stopped node costs one backoff step.
 * A small loop of our own rather than amqp-connection-manager: the publisher must fail fast
 * (503 within a second) while disconnected instead of buffering messages in memory.
 */
export class BrokerConnection extends EventEmitter {
  private conn?: ChannelModel;
  private ch?: ConfirmChannel;
  private stopping = false;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  /** Index in `urls` of the node tried next (and, while connected, of the node in use). */
  private node = 0;

  constructor(
    private readonly urls: string[],
    private readonly onChannel: (ch: ConfirmChannel) => Promise<void>,
    private readonly log: Logger,
  ) {
    super();
  }

  get channel(): ConfirmChannel | undefined {
    return this.ch;
  }

  /** Connects once; on failure keeps retrying in the background and resolves with false. */
  async start(): Promise<boolean> {
    this.stopping = false;
    return this.connect();
  }

  /** The node in use (or tried next), without its credentials. */
  get nodeUrl(): string {
    return redact(this.urls[this.node]!);
  }

  private async connect(): Promise<boolean> {
    const node = this.nodeUrl;
    let opened: ChannelModel | undefined;
    try {
      const conn = await amqp.connect(this.urls[this.node]!, { timeout: 2000 });
      opened = conn;
      conn.on("error", (err) => this.log.warn({ err: err.message }, "broker connection error"));
      conn.on("close", () => this.lost(conn));
      const ch = await conn.createConfirmChannel();
      ch.on("error", (err) => this.log.warn({ err: err.message }, "broker channel error"));
      ch.on("close", () => {
        if (this.ch === ch) this.ch = undefined;
        if (!this.stopping && this.conn === conn) conn.close().catch(() => undefined);
      });
      await this.onChannel(ch);
      this.conn = conn;
      this.ch = ch;
      this.attempt = 0;
      this.log.info({ node }, "broker connected");
      this.emit("connected");
      return true;
    } catch (err) {
      // A connection whose setup failed (a refused declare, say) is closed, not left open per retry.
      opened?.close().catch(() => undefined);
      this.log.warn({ node, err: (err as Error).message }, "broker unreachable");
      this.moveOn();
      this.schedule();
      return false;
    }
  }

  private lost(conn: ChannelModel) {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.ch = undefined;
    this.emit("lost");
    if (!this.stopping) {
      this.log.warn({ node: this.nodeUrl }, "broker connection lost; reconnecting");
      this.moveOn();
      this.schedule();
    }
  }

  /** The next node of the list; with one URL, the same one again. */
  private moveOn() {
    this.node = (this.node + 1) % this.urls.length;
  }

  private schedule() {
    if (this.stopping || this.timer) return;
    const delay = Math.min(5000, 100 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
  }

  /** Closes the channel and connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const conn = this.conn;
    const ch = this.ch;
    this.conn = undefined;
    this.ch = undefined;
    // Close the channel first (a round trip): frames written on it, such as the last ack,
    // reach the broker before the connection goes; closing the connection alone may drop them.
    await ch?.close().catch(() => undefined);
    await conn?.close().catch(() => undefined);
  }
}

/** Connects to the first of a cluster's nodes that answers (tools and tests that read the queues). */
export async function connectFirst(urls: string[]): Promise<ChannelModel> {
  let last: unknown;
  for (const url of urls) {
    try {
      return await amqp.connect(url, { timeout: 2000 });
    } catch (err) {
      last = err;
    }
  }
  throw last ?? new Error("no broker URL given");
}

function redact(url: string): string {
  const u = new URL(url);
  u.password = "";
  u.username = "";
  return u.toString();
}
