import type { RedisClient as Redis } from "@flashsale/reservations";
import type { SupervisedStack } from "./supervised-stack";
import type { RabbitCluster } from "../../test/support/rabbit-cluster";
import { restartPostgres, restartRabbitMq } from "./services";

export const FAULTS = ["kill-worker", "restart-rabbitmq", "flush-redis", "restart-postgres", "kill-api", "stop-rabbit-leader"] as const;
export type Fault = (typeof FAULTS)[number];
/** The faults of a run on the machine's services (the default of `npm run chaos`). */
export const SINGLE_FAULTS: Fault[] = ["kill-worker", "restart-rabbitmq", "flush-redis", "restart-postgres", "kill-api"];
/** With --cluster: the broker is a 3-node cluster of the run's own, so its fault is a node, not the machine's broker. */
export const CLUSTER_FAULTS: Fault[] = ["kill-worker", "stop-rabbit-leader", "flush-redis", "restart-postgres", "kill-api"];

/** What a fault may act on besides the supervised stack. */
export interface FaultTargets {
  redis: Redis;
  /** The run's RabbitMQ cluster and its settle queue (--cluster only). */
  rabbit?: { cluster: RabbitCluster; settleQueue: string };
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

/** Injects one fault into a running sale, the way it happens in production. */
export async function inject(fault: Fault, stack: SupervisedStack, { redis, rabbit }: FaultTargets): Promise<void> {
  switch (fault) {
    case "stop-rabbit-leader": {
      if (!rabbit) throw new Error("stop-rabbit-leader needs --cluster");
      return stopLeader(rabbit);
    }
    case "kill-worker":
      return stack.kill("worker-1");
    case "kill-api":
      return stack.kill("api");
    case "flush-redis":
      await redis.flushall();
      return;
    case "restart-rabbitmq":
      return restartRabbitMq();
    case "restart-postgres":
      return restartPostgres();
  }
}
