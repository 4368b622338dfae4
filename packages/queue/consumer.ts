import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import type { SettleCommand } from "@flashsale/domain";
import { BrokerConnection, type Logger } from "./connection.ts";
import { declareTopology, names, type Names, type QueueOptions } from "./topology.ts";

export interface SettleHandlers {
  /** Settles one order; resolving means committed (the message is acked after it). */
  settle(cmd: SettleCommand, attempt: number): Promise<void>;
  /** Called once the retries are spent, before the message moves to the dead-letter queue. */
  exhausted(cmd: SettleCommand, err: unknown): Promise<void>;
}

/**
 * Consumes the settle queue with prefetch(1) and manual acks. Nothing is acked before the
 * handler resolved; an error is retried through the delay queues (the retry is confirmed
 * before the original is acked), then dead-lettered. Unparseable messages go straight to dead.
 */
export class SettleConsumer {
  private readonly conn: BrokerConnection;
  private readonly n: Names;
  private inFlight?: Promise<void>;
  private tag?: string;

  constructor(urls: string[], private readonly opts: QueueOptions, private readonly handlers: SettleHandlers, private readonly log: Logger) {
    this.n = names(opts.prefix, opts.type);
    this.conn = new BrokerConnection(urls, (ch) => this.consume(ch), log);
  }

  start(): Promise<boolean> {
    return this.conn.start();
  }

  get connected(): boolean {
    return this.conn.channel !== undefined;
  }

  private async consume(ch: ConfirmChannel): Promise<void> {
    await declareTopology(ch, this.opts);
    await ch.prefetch(1);
    const { consumerTag } = await ch.consume(this.n.settleQueue, (msg) => {
      if (!msg) return;
      const work = this.handle(ch, msg).catch((err) =>
        this.log.error({ err: (err as Error).message }, "message left unacked; the broker will redeliver it"),
      );
      this.inFlight = work.finally(() => {
        if (this.inFlight === work) this.inFlight = undefined;
      });
    });
    this.tag = consumerTag;
  }

  private async handle(ch: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const cmd = parse(msg.content);
    if (!cmd) {
      this.log.error({ messageId: msg.properties.messageId }, "unparseable message; dead-lettered");
      await this.forward(ch, this.n.exchange, this.n.deadKey, msg, 0);
      ch.ack(msg);
      return;
    }
    const attempt = Number(msg.properties.headers?.["x-attempt"] ?? 0);
    try {
      await this.handlers.settle(cmd, attempt);
    } catch (err) {
      await this.retryOrBury(ch, msg, cmd, attempt, err);
    }
    // Outside the try: an ack refused by a channel that closed meanwhile is not a failed settle
    // (the order committed; its redelivery changes nothing), so it is not retried as one.
    ch.ack(msg);
  }

  private async retryOrBury(ch: ConfirmChannel, msg: ConsumeMessage, cmd: SettleCommand, attempt: number, err: unknown): Promise<void> {
    const delays = this.opts.retryDelaysMs;
    const why = (err as Error).message;
    if (attempt < delays.length) {
      this.log.warn({ orderId: cmd.orderId, attempt, err: why }, "settle failed; retrying later");
      await this.forward(ch, this.n.retryExchange, this.n.retryKey(attempt), msg, attempt + 1);
      return;
    }
    try {
      await this.handlers.exhausted(cmd, err);
    } catch (buryErr) {
      // Could not even record FAILED (the database is still down): keep retrying at the longest delay.
      this.log.error({ orderId: cmd.orderId, err: (buryErr as Error).message }, "could not mark the order FAILED; retrying");
      await this.forward(ch, this.n.retryExchange, this.n.retryKey(delays.length - 1), msg, attempt);
      return;
    }
    this.log.error({ orderId: cmd.orderId, attempt, err: why }, "settle failed for good; order FAILED and dead-lettered");
    await this.forward(ch, this.n.exchange, this.n.deadKey, msg, attempt + 1);
  }

  private forward(ch: ConfirmChannel, exchange: string, key: string, msg: ConsumeMessage, attempt: number): Promise<void> {
    return new Promise((resolve, reject) =>
      ch.publish(
        exchange,
        key,
        msg.content,
        { ...msg.properties, persistent: true, headers: { ...msg.properties.headers, "x-attempt": attempt } },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }

  /** Stops taking messages, lets the one in hand finish (ack included), then disconnects. */
  async stop(): Promise<void> {
    const ch = this.conn.channel;
    if (ch && this.tag) await ch.cancel(this.tag).catch(() => undefined);
    await this.inFlight;
    await this.conn.stop();
  }
}

function parse(content: Buffer): SettleCommand | null {
  try {
    const c = JSON.parse(content.toString("utf8")) as SettleCommand;
    const ok =
      typeof c.orderId === "string" &&
      typeof c.userId === "string" &&
      Array.isArray(c.lines) &&
      c.lines.length > 0 &&
      c.lines.every((l) => typeof l.itemId === "string" && Number.isInteger(l.quantity) && l.quantity > 0 && Number.isInteger(l.price)) &&
      Number.isInteger(c.total) &&
      typeof c.currency === "string" &&
      typeof c.createdAt === "string";
    return ok ? c : null;
  } catch {
    return null;
  }
}
