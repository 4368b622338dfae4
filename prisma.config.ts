import "dotenv/config";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma 6.19 "js" schema engine (WebAssembly, no binary download) driven through
// @prisma/adapter-pg, because these machines reach no host but the package registries.
// Two adapter-pg 6.x bugs are worked around here (prisma/orm#27403):
//  1. the Postgres catalog types `name` (OID 19) and `"char"` (OID 18), returned by the
//     schema engine's catalog queries, are not deserialised -> relabel them;
//  2. connectToShadowDb() (used by `migrate dev`) connects to the main database and drops
//     the shadow database before closing its pool -> we own the shadow database lifecycle.
// The workarounds are needed by the CLI only; the application builds its own client.

// Without DATABASE_URL, Prisma 6.19 would try to download an engine binary (no network
// here): default it, as the application's own config does.
process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/flashsale";
const u = new URL(process.env.DATABASE_URL);
const cfg: pg.PoolConfig = {
  host: u.hostname,
  port: Number(u.port || 5432),
  user: decodeURIComponent(u.username),
  password: decodeURIComponent(u.password),
  database: u.pathname.slice(1),
};

// name, int2vector, regproc, pg_node_tree, regclass, regtype: fine as text.
const TEXTISH = new Set([19, 22, 24, 194, 2205, 2206]);
const CHAR_COLS = new WeakMap<object, number[]>();

function patchCatalogTypes(adapter: object) {
  let proto: any = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__catalogTypesPatched) return;
  const performIO = proto.performIO;
  proto.performIO = async function (query: unknown) {
    const res = await performIO.call(this, query);
    const chars: number[] = [];
    (res.fields ?? []).forEach((f: any, i: number) => {
      if (f.dataTypeID === 18) { chars.push(i); f.dataTypeID = 25; }
      else if (TEXTISH.has(f.dataTypeID)) f.dataTypeID = 25;
      else if (f.dataTypeID === 1003) f.dataTypeID = 1009; // name[] -> text[]
    });
    if (chars.length && res.rows) CHAR_COLS.set(res.rows, chars);
    return res;
  };
  const queryRaw = proto.queryRaw;
  proto.queryRaw = async function (query: unknown) {
    const out = await queryRaw.call(this, query);
    for (const i of CHAR_COLS.get(out.rows) ?? []) out.columnTypes[i] = 6; // ColumnTypeEnum.Character
    return out;
  };
  proto.__catalogTypesPatched = true;
}

// adapter-pg 6.x runs a migration by splitting its text on every ";", which breaks
// dollar-quoted bodies (trigger functions). Send the script whole instead: PostgreSQL's
// simple query protocol runs several statements in one implicit transaction, so a failing
// migration also leaves nothing half-applied.
function patchExecuteScript(adapter: object) {
  let proto: any = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "executeScript")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__wholeScriptPatched) return;
  proto.executeScript = async function (script: string) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  proto.__wholeScriptPatched = true;
}

async function admin(sql: string) {
  const c = new pg.Client(cfg);
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const factory: any = new PrismaPg(cfg);
    const connect = factory.connect.bind(factory);
    factory.connect = async () => { const a = await connect(); patchCatalogTypes(a); patchExecuteScript(a); return a; };
    factory.connectToShadowDb = async () => {
      const shadow = `prisma_shadow_${process.pid}_${Date.now()}`;
      await admin(`CREATE DATABASE "${shadow}"`);
      const a: any = await new PrismaPg({ ...cfg, database: shadow }).connect();
      patchCatalogTypes(a);
      patchExecuteScript(a);
      const dispose = a.dispose.bind(a);
      a.dispose = async () => { await dispose(); await admin(`DROP DATABASE IF EXISTS "${shadow}" WITH (FORCE)`); };
      return a;
    };
    return factory;
  },
});
