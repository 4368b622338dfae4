import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pino, type Logger } from "pino";
import type { Config } from "@flashsale/config";
import { createDb, createReplicaDb, gateSnapshot } from "@flashsale/db";
import { connectRedis, readyOrTimeout, ReservationGate } from "@flashsale/reservations";
import { OrderPublisher } from "@flashsale/queue";
import { createApp } from "./app.ts";
import type { ApiDeps } from "./deps.ts";
import { tokenVerifier } from "./http/auth.ts";
import { refuseAtServer } from "./http/server-refusals.ts";
import { OrderStatusFeed } from "./live/order-status-feed.ts";

export interface RunningApi {
  server: Server;
  port: number;
  deps: ApiDeps;
  stop(): Promise<void>;
}

/** Starts one API process: builds its dependencies once, serves until stop(). */
export async function start(cfg: Config, log: Logger = pino({ level: cfg.logLevel, name: "api" })): Promise<RunningApi> {
  const db = createDb(cfg.databaseUrl, 10);
  // Lists and metrics only (packages/app decides which reads); without a replica, the primary.
  const readDb = cfg.databaseReplicaUrl ? createReplicaDb(cfg.databaseReplicaUrl, 10) : db;
  // Commands fail fast while Redis is away (503), instead of queueing behind a dead socket.
  // Auto-pipelining: commands issued in the same tick share one write (many concurrent orders).
  const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 1, offlineQueue: false, connectTimeoutMs: 1000, commandTimeoutMs: 2000, autoPipelining: true, clusterRetries: 5 });
  redis.on("error", (err) => log.warn({ err: err.message }, "redis error"));
  await readyOrTimeout(redis, 3000);
  const gate = new ReservationGate(redis, cfg.redisPrefix, { snapshot: (ids) => gateSnapshot(db, ids), idempotencyTtlSeconds: cfg.idempotencyTtlSeconds });
  const statusFeed = new OrderStatusFeed(redis, gate.keys);
  // Not awaited: with Redis down at boot the API still starts (and /readyz says so); the
  // subscription is made, and remade after any reconnect, by ioredis.
  statusFeed.start().catch((err) => log.warn({ err: err.message }, "status feed not subscribed yet"));
  const publisher = new OrderPublisher(cfg.rabbitmqUrls, { ...cfg.queue }, log);
  await publisher.start();
  await gate.rebuild().catch((err) => log.warn({ err: err.message }, "gate not rebuilt at start; will on first order"));

  const deps: ApiDeps = { cfg, db, readDb, redis, gate, statusFeed, publisher, log, now: () => new Date(), verifyToken: tokenVerifier(cfg.jwt) };
  const app = createApp(deps);
  // Host is checked by the app (requireHost), so that its absence is a problem document too.
  const server = createServer({ requireHostHeader: false }, app);
  refuseAtServer(server);
  // A deep accept backlog: a flash sale opens thousands of connections in the same second.
  await new Promise<void>((resolve) => server.listen({ port: cfg.port, backlog: 4096 }, resolve));
  server.keepAliveTimeout = 65_000;
  // Connections that never sent a request (a client's spare, opened ahead of need) are not
  // idle to Node's closeIdleConnections and would hold server.close() until the headers timeout.
  const unused = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  server.on("request", (req: IncomingMessage) => unused.delete(req.socket));
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, "api listening");

  return {
    server,
    port,
    deps,
    async stop() {
      // Stop intake, end event streams, let in-flight requests finish (their publishes
      // confirm), then close the connections.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      statusFeed.stop();
      // Keep-alive connections become idle as their last response goes out: close them then.
      const reaper = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      for (const socket of unused) socket.destroy();
      await closed;
      clearInterval(reaper);
      await publisher.stop();
      redis.disconnect();
      await db.$disconnect();
      if (readDb !== db) await readDb.$disconnect();
      log.info({}, "api stopped");
    },
  };
}
