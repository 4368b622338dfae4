import type { Logger } from "pino";
import type { Config } from "@flashsale/config";
import type { Db } from "@flashsale/db";
import type { RedisClient, ReservationGate } from "@flashsale/reservations";
import type { OrderPublisher } from "@flashsale/queue";
import type { Auth } from "./http/auth.ts";
import type { OrderStatusFeed } from "./live/order-status-feed.ts";

/** Everything a route may use, built once in start.ts (tests build their own). */
export interface ApiDeps {
  cfg: Config;
  db: Db;
  /** Lists and metrics read here: the replica (DATABASE_REPLICA_URL), or `db` itself when none is set. */
  readDb: Db;
  redis: RedisClient;
  gate: ReservationGate;
  statusFeed: OrderStatusFeed;
  publisher: OrderPublisher;
  log: Logger;
  now: () => Date;
  verifyToken: (token: string) => Promise<Auth>;
  /** Told each answer of the reservation gate (createApp wires it to Prometheus). */
  onReservation?: (outcome: string) => void;
}
