// The Redis faults of a --cluster run, on the run's own 6-node Redis Cluster
// (test/support/redis-cluster.ts). They run one after the other (a random schedule may draw
// two at once, or a kill with a flush): the second starts once the first is over (killed
// node back as a replica, every slot served), so at most one master is ever down and a
// flush empties every master, none half-promoted.
import { Redis } from "ioredis";
import { itemSlot } from "@flashsale/reservations";
import type { RedisCluster } from "../../test/support/redis-cluster";

/** What the cluster faults act on: the cluster, the sale's item, and the sale's 503s so far. */
export interface RedisClusterTargets {
  cluster: RedisCluster;
  itemId: string;
  unavailable: () => number;
}

let chain: Promise<unknown> = Promise.resolve();
function serial<T>(fault: () => Promise<T>): Promise<T> {
  const next = chain.then(fault, fault);
  chain = next.catch(() => undefined);
  return next;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * SIGKILLs the master serving the item's slot (whichever node that is by now), waits until
 * its replica is promoted and every slot is served, then starts the killed node again (it
 * rejoins as the new master's replica). Resolves with one line: how long the failover took
 * and how many 503s the sale got meanwhile (from any fault that overlapped).
 */
export function killRedisMaster({ cluster, itemId, unavailable }: RedisClusterTargets): Promise<string> {
  return serial(async () => {
    const slot = itemSlot(itemId);
    const { port } = await cluster.masterOf(slot);
    const before = unavailable();
    await cluster.killNode(port);
    const failoverMs = await cluster.waitForFailover(port);
    const promoted = (await cluster.masterOf(slot)).port;
    const atFailover = unavailable();
    const t = Date.now();
    await cluster.restartNode(port);
    const rejoinMs = Date.now() - t;
    const after = unavailable();
    return (
      `kill-redis-master: master :${port} of slot ${slot} SIGKILLed, replica :${promoted} promoted in ${secs(failoverMs)}; ` +
      `503 ${atFailover - before} until then, ${after - before} until :${port} rejoined as a replica (${secs(rejoinMs)} later)`
    );
  });
}

/** FLUSHALL on every master of the cluster at once (their replicas follow): the whole gate's state lost, as flush-redis does to one server. */
export function flushMasters(cluster: RedisCluster): Promise<string> {
  return serial(async () => {
    const roles = await Promise.all(cluster.nodes.map(async ({ port }) => ({ port, role: await ask(port, "INFO", "replication").then((t) => /role:(\w+)/.exec(String(t))?.[1], () => "away") })));
    const masters = roles.filter((r) => r.role === "master").map((r) => r.port);
    await Promise.all(masters.map((port) => ask(port, "FLUSHALL")));
    return `flush-redis: FLUSHALL on the ${masters.length} masters :${masters.join(", :")}`;
  });
}

/** One command on one node, on a connection of its own that fails at once if the node is away. */
async function ask(port: number, ...command: string[]): Promise<unknown> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return await r.call(command[0]!, ...command.slice(1));
  } finally {
    r.disconnect();
  }
}
