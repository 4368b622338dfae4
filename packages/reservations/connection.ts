import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";
import type { RedisClient } from "./scripts.ts";

/** Where Redis is: one server's URL, or a Redis Cluster's seed nodes (then the URL is not used). */
export interface RedisTarget {
  url: string;
  clusterNodes?: ClusterNode[];
}

/** How a process wants its connection to behave (the API fails fast, a worker waits a little). */
export interface ConnectionBehaviour {
  /** Auto-pipelining: commands of one tick share one write per node. */
  autoPipelining?: boolean;
  /** Queue commands while (re)connecting instead of failing them at once. */
  offlineQueue?: boolean;
  maxRetriesPerRequest?: number;
  connectTimeoutMs?: number;
  /** A command not answered in this time fails (queued or sent to a node that went away): no request waits on Redis for ever. */
  commandTimeoutMs?: number;
  /**
   * Cluster only: how many times a command is sent again after a redirection or while its slot
   * has no master (every ~100 ms). A failover takes a few seconds: the API gives up soon (503),
   * a worker waits it out.
   */
  clusterRetries?: number;
}

/**
 * One connection to the gate's Redis: an ioredis `Cluster` when cluster nodes are given (slots
 * are followed across failovers and resharding; sharded pub/sub subscribes on each shard),
 * else a plain `Redis` on the URL.
 */
export function connectRedis(target: RedisTarget, b: ConnectionBehaviour = {}): RedisClient {
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: b.maxRetriesPerRequest ?? 2,
    enableOfflineQueue: b.offlineQueue ?? true,
    ...(b.connectTimeoutMs ? { connectTimeout: b.connectTimeoutMs } : {}),
    ...(b.commandTimeoutMs ? { commandTimeout: b.commandTimeoutMs } : {}),
  };
  if (!target.clusterNodes?.length) return new Redis(target.url, { ...redisOptions, enableAutoPipelining: b.autoPipelining ?? false });
  return new Cluster(target.clusterNodes, {
    redisOptions,
    enableOfflineQueue: b.offlineQueue ?? true,
    enableAutoPipelining: b.autoPipelining ?? false,
    shardedSubscribers: true,
    // A master that died is replaced by its replica after the cluster's node timeout: ask the
    // cluster for the new slot map soon, and retry a command that met a failover after a short wait.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    maxRedirections: b.clusterRetries ?? 16,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
  });
}

/** Resolves once the connection is ready, or after `ms` (a process starts even while Redis is away). */
export function readyOrTimeout(redis: RedisClient, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (redis.status === "ready") return resolve();
    const t = setTimeout(resolve, ms);
    redis.once("ready", () => (clearTimeout(t), resolve()));
  });
}
