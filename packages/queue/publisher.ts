import { AppError, type SettleCommand } from "@flashsale/domain";
import { BrokerConnection, type Logger } from "./connection.ts";
import { declareTopology, names, type Names, type QueueOptions } from "./topology.ts";

/** Publishes settle commands as persistent messages and resolves only on the broker's confirm. */
export class OrderPublisher {
  private readonly conn: BrokerConnection;
  private readonly n: Names;

  constructor(urls: string[], private readonly opts: QueueOptions & { publishTimeoutMs: number }, log: Logger) {
    this.n = names(opts.prefix, opts.type);
    this.conn = new BrokerConnection(urls, async (ch) => void (await declareTopology(ch, opts)), log);
  }

  start(): Promise<boolean> {
    return this.conn.start();
  }

  stop(): Promise<void> {
    return this.conn.stop();
  }

  get connected(): boolean {
    return this.conn.channel !== undefined;
  }

  /** Durably queues the command, or throws UNAVAILABLE (broker down, nack, or no confirm in time). */
  async publish(cmd: SettleCommand): Promise<void> {
    const ch = this.conn.channel;
    if (!ch) throw new AppError("UNAVAILABLE", "the order queue is unavailable; nothing was reserved");
    const body = Buffer.from(JSON.stringify(cmd));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError("UNAVAILABLE", "the order queue did not confirm in time; nothing was reserved")),
        this.opts.publishTimeoutMs,
      );
      try {
        ch.publish(
          this.n.exchange,
          this.n.settleKey,
          body,
          { persistent: true, messageId: cmd.orderId, contentType: "application/json", headers: { "x-attempt": 0 } },
          (err) => {
            clearTimeout(timer);
            if (err) reject(new AppError("UNAVAILABLE", "the order queue refused the order; nothing was reserved"));
            else resolve();
          },
        );
      } catch {
        clearTimeout(timer);
        reject(new AppError("UNAVAILABLE", "the order queue is unavailable; nothing was reserved"));
      }
    });
  }

  /** Messages waiting, consumers attached and dead letters; null while the broker is unreachable. */
  async stats(): Promise<{ depth: number; consumers: number; deadLettered: number } | null> {
    const ch = this.conn.channel;
    if (!ch) return null;
    const [settle, dead] = await Promise.all([ch.checkQueue(this.n.settleQueue), ch.checkQueue(this.n.deadQueue)]);
    return { depth: settle.messageCount, consumers: settle.consumerCount, deadLettered: dead.messageCount };
  }
}
