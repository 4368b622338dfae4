import "dotenv/config";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { developmentSecret } from "./dev-secret.ts";

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try { return protocols.includes(new URL(v).protocol); } catch { return false; }
  }, `must be a URL (${protocols.join(" or ")})`);

// A Redis Cluster's seed nodes, comma-separated host:port.
const hostPorts = z
  .string()
  .transform((v) => v.split(",").map((u) => u.trim()))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/, "must be comma-separated host:port pairs")).min(1))
  .transform((list) =>
    list.map((hp) => {
      const at = hp.lastIndexOf(":");
      return { host: hp.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(hp.slice(at + 1)) };
    }),
  );

// A RabbitMQ cluster's nodes, comma-separated; each checked as RABBITMQ_URL is.
const amqpList = z
  .string()
  .transform((v) => v.split(",").map((u) => u.trim()))
  .pipe(z.array(url(["amqp:", "amqps:"])).min(1));

const Schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: intFrom(3000).pipe(z.number().max(65535)),
    DATABASE_URL: url(["postgresql:", "postgres:"]).default("postgresql://postgres@127.0.0.1:5432/flashsale"),
    // A streaming replica of DATABASE_URL for lists and metrics (optional; unset, the primary serves them).
    DATABASE_REPLICA_URL: url(["postgresql:", "postgres:"]).optional(),
    REDIS_URL: url(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
    // A Redis Cluster's seed nodes (optional; set, REDIS_URL is not used).
    REDIS_CLUSTER_NODES: hostPorts.optional(),
    RABBITMQ_URL: url(["amqp:", "amqps:"]).default("amqp://guest:guest@127.0.0.1:5672"),
    RABBITMQ_URLS: amqpList.optional(),
    JWT_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    JWT_PUBLIC_KEY: z.string().includes("PUBLIC KEY", { message: "must be a PEM public key" }).optional(),
    JWKS_URL: url(["https:", "http:"]).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    JWT_TTL_SECONDS: intFrom(3600, 60),
    WORKERS: intFrom(2, 0).pipe(z.number().max(64)),
    // A worker lowers its own CPU priority by this much (nice), so that on a box shared with the
    // API the buyers' answers are served first and settling takes the cycles left over.
    WORKER_NICE: intFrom(10).pipe(z.number().max(19)),
    // Every core the process may use: the accept path is CPU-bound, one process per core.
    API_PROCESSES: intFrom(availableParallelism(), 1).pipe(z.number().max(64)),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    RATE_LIMIT_USER_PER_SEC: intFrom(50),
    RATE_LIMIT_IP_PER_SEC: intFrom(5000),
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]*$/, "letters, digits and :_.- only").default("fs:"),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits and _.- only").default("flashsale"),
    QUEUE_TYPE: z.enum(["quorum", "classic"]).default("quorum"),
    RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(,\d+)*$/, "comma-separated milliseconds")
      .default("1000,2000,4000,8000,16000,30000,30000")
      .transform((s) => s.split(",").map(Number)),
    PUBLISH_TIMEOUT_MS: intFrom(5000, 1),
    WORKER_METRICS_PORT: intFrom(9100).pipe(z.number().max(65535)),
    IDEMPOTENCY_TTL_SECONDS: intFrom(86400, 86400),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== "development" && !c.JWT_SECRET && !c.JWT_PUBLIC_KEY && !c.JWKS_URL) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required outside development" });
    }
  });

export type Config = ReturnType<typeof parseConfig>;

/** Parses an environment into the typed configuration, or throws one line naming the bad variable. */
export function parseConfig(env: Record<string, string | undefined>) {
  const r = Schema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const c = r.data;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    databaseReplicaUrl: c.DATABASE_REPLICA_URL,
    // Where the gate lives: a Redis Cluster when REDIS_CLUSTER_NODES is set, else the one REDIS_URL.
    redis: { url: c.REDIS_URL, clusterNodes: c.REDIS_CLUSTER_NODES },
    // The nodes the broker clients try in turn: RABBITMQ_URLS when set, else the one RABBITMQ_URL.
    rabbitmqUrls: c.RABBITMQ_URLS ?? [c.RABBITMQ_URL],
    jwt: {
      secret: c.JWT_SECRET,
      publicKey: c.JWT_PUBLIC_KEY?.replace(/\\n/g, "\n"),
      jwksUrl: c.JWKS_URL,
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      ttlSeconds: c.JWT_TTL_SECONDS,
    },
    workers: c.WORKERS,
    workerNice: c.WORKER_NICE,
    apiProcesses: c.API_PROCESSES,
    logLevel: c.LOG_LEVEL,
    rateLimit: { userPerSec: c.RATE_LIMIT_USER_PER_SEC, ipPerSec: c.RATE_LIMIT_IP_PER_SEC },
    redisPrefix: c.REDIS_PREFIX,
    queue: {
      prefix: c.QUEUE_PREFIX,
      type: c.QUEUE_TYPE,
      retryDelaysMs: c.RETRY_DELAYS_MS,
      publishTimeoutMs: c.PUBLISH_TIMEOUT_MS,
    },
    workerMetricsPort: c.WORKER_METRICS_PORT,
    idempotencyTtlSeconds: c.IDEMPOTENCY_TTL_SECONDS,
  };
}

/** Reads process.env once; on a bad variable prints one line naming it and exits 1. */
export function loadConfig() {
  try {
    const env = { ...process.env };
    // Development without JWT_SECRET: a random secret of this checkout (`npm start` makes it).
    if ((env.NODE_ENV ?? "development") === "development" && !env.JWT_SECRET) env.JWT_SECRET = developmentSecret();
    return parseConfig(env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
