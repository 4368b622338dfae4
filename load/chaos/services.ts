import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: "ignore", timeout: 120_000 });

/** Restarts the machine's RabbitMQ node (messages on durable queues survive). Needs root. */
export function restartRabbitMq(): void {
  run("rabbitmqctl", ["stop_app"]);
  run("rabbitmqctl", ["start_app"]);
}

/** Restarts the machine's PostgreSQL cluster: every connection is cut. Needs root. */
export function restartPostgres(): void {
  const version = readdirSync("/etc/postgresql")[0]!;
  run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"]);
}
