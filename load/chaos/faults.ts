import type { Redis } from "ioredis";
import type { SupervisedStack } from "./supervised-stack";
import { restartPostgres, restartRabbitMq } from "./services";

export const FAULTS = ["kill-worker", "restart-rabbitmq", "flush-redis", "restart-postgres", "kill-api"] as const;
export type Fault = (typeof FAULTS)[number];

/** Injects one fault into a running sale, the way it happens in production. */
export async function inject(fault: Fault, stack: SupervisedStack, redis: Redis): Promise<void> {
  switch (fault) {
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
