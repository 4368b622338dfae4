import http from "node:http";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { expect } from "chai";
import { pino } from "pino";
import { start as startApi, type RunningApi } from "@flashsale/api";
import { start as startWorker, type RunningWorker } from "@flashsale/worker";
import { isolatedQueue, makeBuyer, testConfig, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { useTopology } from "../support/broker";
import { issueToken } from "@flashsale/api";

interface Reply {
  status: number;
  type: string;
  body: string;
  /** Whether the next request on the same keep-alive connection answered (GET /healthz 200 on a reused socket). */
  reusable: boolean;
}

/** GET `path` on a connection of its own, read to the end, then one more request on that connection. */
async function getThenReuse(url: string, path: string, token: string): Promise<Reply> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, `${url}${path}`, { authorization: `Bearer ${token}`, accept: "text/event-stream" });
    const next = await get(agent, `${url}/healthz`, {});
    return { ...first, reusable: next.status === 200 && next.reused };
  } finally {
    agent.destroy();
  }
}

function get(agent: http.Agent, url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; type: string; body: string; reused: boolean }>((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"] ?? ""), body, reused: req.reusedSocket }));
      res.on("error", reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on("error", reject);
  });
}

/** The `status` events of an SSE body, in order. */
function statusEvents(body: string): { status: string; userId: string }[] {
  return body
    .split("\n\n")
    .filter((b) => b.includes("event: status"))
    .map((b) => JSON.parse(b.split("\n").find((l) => l.startsWith("data: "))!.slice(6)));
}

const STAGE: Record<string, number> = { PENDING: 0, PROCESSING: 1, COMPLETED: 2 };

describe("order events under racing listeners", function () {
  this.timeout(120_000);
  let api: RunningApi;
  let workers: RunningWorker[];
  let s: Stack;
  const errors: string[] = [];

  before(async () => {
    const cfg = testConfig(isolatedQueue());
    useTopology(cfg.queue);
    // Errors the API logs (an unhandled error, ERR_HTTP_HEADERS_SENT) are collected and must stay none.
    const sink = new Writable({ write: (chunk, _enc, done) => (errors.push(String(chunk)), done()) });
    const log = pino({ level: "error" }, sink);
    api = await startApi(cfg, log);
    workers = [await startWorker(cfg, pino({ level: "silent" })), await startWorker(cfg, pino({ level: "silent" }))];
    const url = `http://127.0.0.1:${api.port}`;
    s = { cfg, api, workers, url, operator: issueToken(cfg.jwt, { id: randomUUID(), role: "operator" }).accessToken } as unknown as Stack;
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api.stop();
  });

  it("when another buyer and the owner open streams right after each 202 while it settles, then every foreign stream is the unknown id's 404 and every owner stream is a whole event stream", async () => {
    const ORDERS = 60;
    const FOREIGN = 6;
    const OWN = 3;
    const item = await makeItem(s, { stock: ORDERS, maxPerUser: ORDERS });
    const owner = await makeBuyer(s, { USD: 10_000_000 });
    const other = await makeBuyer(s);
    const unknown = await getThenReuse(s.url, `/orders/${randomUUID()}/events`, other.token);
    expect(unknown.status).to.equal(404);
    expect(unknown.type).to.match(/^application\/problem\+json/);

    const rounds = Array.from({ length: ORDERS / 10 }, () => 10);
    for (const batch of rounds) {
      await Promise.all(
        Array.from({ length: batch }, async () => {
          const placed = await order(s, owner.token, item.id);
          expect(placed.status).to.equal(202);
          const path = `/orders/${placed.body.id}/events`;
          const [foreign, own] = await Promise.all([
            Promise.all(Array.from({ length: FOREIGN }, () => getThenReuse(s.url, path, other.token))),
            Promise.all(Array.from({ length: OWN }, () => getThenReuse(s.url, path, owner.token))),
          ]);
          for (const f of foreign) {
            expect({ status: f.status, type: f.type, body: JSON.parse(f.body) }).to.deep.equal({ status: 404, type: unknown.type, body: JSON.parse(unknown.body) });
            expect(f.reusable, "the connection answers the next request").to.equal(true);
          }
          for (const o of own) {
            expect(o.status).to.equal(200);
            expect(o.type).to.match(/^text\/event-stream/);
            expect(o.body.startsWith("retry:"), o.body.slice(0, 80)).to.equal(true);
            const events = statusEvents(o.body);
            expect(events.length).to.be.greaterThan(0);
            expect(events.every((e) => e.userId === owner.id)).to.equal(true);
            const stages = events.map((e) => STAGE[e.status]!);
            expect(stages.every((x, i) => i === 0 || x > stages[i - 1]!), `statuses in order: ${events.map((e) => e.status)}`).to.equal(true);
            expect(events[events.length - 1]!.status).to.equal("COMPLETED");
            expect(o.reusable, "the connection answers the next request").to.equal(true);
          }
        }),
      );
    }
    expect(errors, errors.join("\n")).to.deep.equal([]);
  });

  it("when a buyer opens the dashboard stream, then 403 problem+json with nothing streamed, and the connection stays usable", async () => {
    const buyer = await makeBuyer(s);
    const replies = await Promise.all(Array.from({ length: 20 }, () => getThenReuse(s.url, "/dashboard/events", buyer.token)));
    for (const r of replies) {
      expect(r.status).to.equal(403);
      expect(r.type).to.match(/^application\/problem\+json/);
      expect(JSON.parse(r.body).code).to.equal("FORBIDDEN");
      expect(r.reusable).to.equal(true);
    }
    expect(errors, errors.join("\n")).to.deep.equal([]);
  });
});
