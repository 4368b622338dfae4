import type { RedisClient as Redis } from "@flashsale/reservations";
import type { SupervisedStack } from "./supervised-stack";
import type { RabbitCluster } from "../../test/support/rabbit-cluster";
import { restartPostgres, restartRabbitMq } from "./services";
import { flushMasters, killRedisMaster, type RedisClusterTargets } from "./redis-faults";

export const FAULTS = ["kill-worker", "restart-rabbitmq", "flush-redis", "restart-postgres", "kill-api", "stop-rabbit-leader", "kill-redis-master"] as const;
export type Fault = (typeof FAULTS)[number];
/** The faults of a run on the machine's services (the default of `npm run chaos`). */
export const SINGLE_FAULTS: Fault[] = ["kill-worker", "restart-rabbitmq", "flush-redis", "restart-postgres", "kill-api"];
/**
 * With --cluster: the broker is a 3-node cluster of the run's own, so its fault is a node, not the
 * machine's broker; Redis is a 6-node cluster of the run's own, so flush-redis empties its three
 * masters and kill-redis-master SIGKILLs the sale item's master. (restart-postgres still restarts
 * the machine's PostgreSQL: leave it out with --faults beside other users of the machine.)
 */
export const CLUSTER_FAULTS: Fault[] = ["kill-worker", "stop-rabbit-leader", "flush-redis", "restart-postgres", "kill-api", "kill-redis-master"];
/** The faults that need --cluster. */
export const CLUSTER_ONLY: Fault[] = ["stop-rabbit-leader", "kill-redis-master"];

/** What a fault may act on besides the supervised stack. */
export interface FaultTargets {
  /** The gate's Redis: the machine's server (without --cluster). */
  redis: Redis;
  /** The run's RabbitMQ cluster and its settle queue (--cluster only). */
  rabbit?: { cluster: RabbitCluster; settleQueue: string };
  /** The run's Redis Cluster, the sale's item and its 503 count (--cluster only). */
  redisCluster?: RedisClusterTargets;
}

// One leader stop at a time (a random schedule may draw two at once): the second waits, then
// stops whichever node leads by then, so one node is ever down and the cluster keeps a majority.
let leaderStops: Promise<void> = Promise.resolve();
function stopLeader({ cluster, settleQueue }: NonNullable<FaultTargets["rabbit"]>): Promise<void> {
  const next = leaderStops.then(async () => {
    // The node leading the settle queue stops (rabbitmqctl stop) and is started again.
    const leader = cluster.node((await cluster.queue(settleQueue))!.leader);
    await cluster.stopNode(leader);
    await cluster.startNode(leader);
  });
  leaderStops = next.catch(() => undefined);
  return next;
}

/** Injects one fault into a running sale, the way it happens in production; resolves with a line to print, if the fault has one. */
export async function inject(fault: Fault, stack: SupervisedStack, { redis, rabbit, redisCluster }: FaultTargets): Promise<string | undefined> {
  switch (fault) {
    case "stop-rabbit-leader": {
      if (!rabbit) throw new Error("stop-rabbit-leader needs --cluster");
      await stopLeader(rabbit);
      return;
    }
    case "kill-redis-master":
      if (!redisCluster) throw new Error("kill-redis-master needs --cluster");
      return killRedisMaster(redisCluster);
    case "kill-worker":
      stack.kill("worker-1");
      return;
    case "kill-api":
      stack.kill("api");
      return;
    case "flush-redis":
      if (redisCluster) return flushMasters(redisCluster.cluster);
      await redis.flushall();
      return;
    case "restart-rabbitmq":
      await restartRabbitMq();
      return;
    case "restart-postgres":
      await restartPostgres();
      return;
  }
}
