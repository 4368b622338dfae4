import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeItem } from "../support/fixtures";
import { makeBuyer } from "../support/stack";
import { waitFor } from "../support/wait";
import { exited } from "../support/processes";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const DOC = "apps/api/openapi.json";
const run = promisify(execFile);

/** Runs a linter and returns its exit code and output (a failing lint is not an exception here). */
async function lint(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(bin(cmd), args, { cwd: root, maxBuffer: 16 << 20 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (!e.stdout) throw new Error(`${cmd} wrote no report: ${e.stderr}`);
    return { code: typeof e.code === "number" ? e.code : 1, out: e.stdout };
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe("OpenAPI document: linted, and live traffic validated by Prism", function () {
  this.timeout(120_000);

  it("when Redocly lints the document with its recommended rules (redocly.yaml), then it reports 0 errors", async () => {
    const { code, out } = await lint("redocly", ["lint", DOC, "--format=json"]);
    const report = JSON.parse(out) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; message: string }[] };
    const errors = report.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).to.deep.equal([]);
    expect(report.totals.errors).to.equal(0);
    expect(code).to.equal(0);
  });

  it("when Spectral lints the document with spectral:oas (.spectral.yaml), then it reports 0 errors", async () => {
    const { code, out } = await lint("spectral", ["lint", DOC, "--format", "json", "--fail-severity", "error", "--quiet"]);
    const results = JSON.parse(out) as { code: string; severity: number; message: string }[];
    expect(results.filter((r) => r.severity === 0).map((r) => `${r.code}: ${r.message}`)).to.deep.equal([]);
    expect(code).to.equal(0);
  });

  describe("through Prism's validation proxy", () => {
    let prism: ChildProcess;
    let base: string;
    let log = "";

    before(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      prism = spawn(bin("prism"), ["proxy", DOC, stack().url, "--host", "127.0.0.1", "--port", String(port), "--errors", "false"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      prism.stdout!.on("data", (d) => (log += d));
      prism.stderr!.on("data", (d) => (log += d));
      await waitFor("Prism to listen", () => /listening on/i.test(log), 60_000, 100);
    });

    after(async () => {
      prism.kill("SIGTERM");
      await exited(prism);
    });

    type Violation = { location: string[]; severity: string; code: string; message: string };
    /** Sends one request through Prism and returns the violations it found (the `sl-violations` header). */
    async function send(method: string, p: string, opts: { token?: string; body?: unknown; expect: number }): Promise<{ body: any; violations: Violation[] }> {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(base + p, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await res.text();
      expect(res.status, `${method} ${p}: ${text}`).to.equal(opts.expect);
      const header = res.headers.get("sl-violations");
      return { body: text ? JSON.parse(text) : undefined, violations: header ? (JSON.parse(header) as Violation[]) : [] };
    }

    it("when a slice of a sale (valid requests and documented refusals) goes through Prism, then it reports 0 violations of requests and responses", async () => {
      const s = stack();
      const buyer = await makeBuyer(s, { USD: 1_000 });
      const item = await makeItem(s, { stock: 1, price: 100, maxPerUser: 1 });
      const all: [string, Violation[]][] = [];
      const note = <T extends { violations: Violation[] }>(what: string, v: T): T => (all.push([what, v.violations]), v);

      note("list items", await send("GET", "/items?limit=2", { expect: 200 }));
      note("read item", await send("GET", `/items/${item.id}`, { expect: 200 }));
      const created = note("create item", await send("POST", "/items", { token: s.operator, expect: 201, body: { name: "Prism", price: 5, currency: "USD", stock: 3, endsAt: null } }));
      note("restock", await send("POST", `/items/${created.body.id}/restock`, { token: s.operator, expect: 200, body: { quantity: 2 } }));
      const email = `prism-${randomUUID()}@example.com`;
      note("create user", await send("POST", "/users", { token: s.operator, expect: 201, body: { email, password: "long enough" } }));
      note("sign in", await send("POST", "/auth/token", { expect: 200, body: { email, password: "long enough" } }));
      note("credit", await send("POST", `/users/${buyer.id}/balance/credit`, { token: s.operator, expect: 200, body: { amount: 10, currency: "USD" } }));
      note("balance", await send("GET", `/users/${buyer.id}/balance`, { token: buyer.token, expect: 200 }));
      const order = note("place order", await send("POST", "/orders", { token: buyer.token, expect: 202, body: { items: [{ itemId: item.id, quantity: 1 }] } }));
      note("order status", await send("GET", `/orders/${order.body.id}/status`, { token: buyer.token, expect: 200 }));
      await waitFor("the order to settle", async () => (await send("GET", `/orders/${order.body.id}`, { token: buyer.token, expect: 200 })).body.status === "COMPLETED");
      note("read order", await send("GET", `/orders/${order.body.id}`, { token: buyer.token, expect: 200 }));
      note("sold out", await send("POST", "/orders", { token: buyer.token, expect: 409, body: { items: [{ itemId: item.id, quantity: 1 }] } }));
      note("history", await send("GET", "/orders?limit=5&status=COMPLETED", { token: buyer.token, expect: 200 }));
      note("ledger", await send("GET", `/users/${buyer.id}/ledger?limit=5`, { token: buyer.token, expect: 200 }));
      note("refund", await send("POST", `/orders/${order.body.id}/refund`, { token: s.operator, expect: 200 }));
      note("metrics", await send("GET", "/metrics", { token: s.operator, expect: 200 }));
      note("a buyer creating an item", await send("POST", "/items", { token: buyer.token, expect: 403, body: { name: "x", price: 1, currency: "USD", stock: 1 } }));
      note("no such order", await send("GET", `/orders/${randomUUID()}`, { token: buyer.token, expect: 404 }));
      note("health", await send("GET", "/healthz", { expect: 200 }));

      expect(all.filter(([, v]) => v.length).map(([what, v]) => `${what}: ${v.map((x) => `${x.location.join(".")} ${x.message}`).join("; ")}`)).to.deep.equal([]);
    });

    it("when requests break the document (a name past maxLength, one that is long only before trimming, no token), then Prism reports each as a request violation and the API's 400 and 401 as no response violation", async () => {
      for (const [p, opts] of [
        ["/items", { token: stack().operator, expect: 400, body: { name: "x".repeat(201), price: 1, currency: "USD", stock: 1 } }],
        ["/items", { token: stack().operator, expect: 400, body: { name: `${" ".repeat(300)}x`, price: 1, currency: "USD", stock: 1 } }],
        ["/users", { expect: 401, body: { email: "nobody@example.com" } }],
      ] as const) {
        const { violations } = await send("POST", p, opts);
        expect(violations.map((v) => v.location[0]), p).to.include("request");
        expect(violations.filter((v) => v.location[0] === "response"), p).to.deep.equal([]);
      }
    });
  });
});
