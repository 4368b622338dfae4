import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";

const exec = promisify(execFile);
const run = (cmd: string, args: string[]) => exec(cmd, args, { timeout: 120_000 }).then(() => undefined);

// Restarts of one service run one after the other: a random schedule may ask for two at once.
const chains = new Map<string, Promise<void>>();
function serial(service: string, restart: () => Promise<void>): Promise<void> {
  const next = (chains.get(service) ?? Promise.resolve()).then(restart, restart);
  chains.set(service, next.catch(() => undefined));
  return next;
}

/** Restarts the machine's RabbitMQ node (messages on durable queues survive). Needs root. */
export function restartRabbitMq(): Promise<void> {
  return serial("rabbitmq", async () => {
    await run("rabbitmqctl", ["stop_app"]);
    await run("rabbitmqctl", ["start_app"]);
  });
}

/** Restarts the machine's PostgreSQL cluster: every connection is cut. Needs root. */
export function restartPostgres(): Promise<void> {
  const version = readdirSync("/etc/postgresql")[0]!;
  return serial("postgres", () => run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"]));
}
