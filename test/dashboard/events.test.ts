import net from "node:net";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeItem } from "../support/fixtures";
import { isolatedQueue, startStack } from "../support/stack";

interface Event {
  event: string;
  data: any;
}

/** Reads SSE events from an open stream until `enough` says so (or it ends), then hangs up. */
async function readUntil({ res, hangUp }: Stream, enough: (events: Event[]) => boolean): Promise<Event[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Event[] = [];
  let buf = "";
  while (!enough(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let sep: number;
    while ((sep = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, sep).split("\n");
      buf = buf.slice(sep + 2);
      const name = block.find((l) => l.startsWith("event: "))?.slice(7);
      const data = block.find((l) => l.startsWith("data: "))?.slice(6);
      if (name && data) events.push({ event: name, data: JSON.parse(data) });
    }
  }
  hangUp();
  return events;
}

interface Stream {
  res: Response;
  hangUp: () => void;
}

/** Opens the stream; hangUp() aborts it, which closes the connection (cancelling the body alone leaves it open). */
async function open(url: string, token: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${url}/dashboard/events`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, signal: abort.signal });
  return { res, hangUp: () => abort.abort() };
}

describe("dashboard events stream (SSE)", function () {
  this.timeout(30_000);

  it("when an operator listens, then it gets the history at once, then snapshots with GET /metrics' shape and every item's live remaining", async () => {
    const item = await makeItem(stack(), { name: "Streamed cap", stock: 9 });
    const stream = await open(stack().url, stack().operator);
    expect(stream.res.status).to.equal(200);
    expect(stream.res.headers.get("content-type")).to.match(/^text\/event-stream/);
    const events = await readUntil(stream, (e) => e.filter((x) => x.event === "snapshot").length >= 2);
    expect(events[0]!.event).to.equal("history");
    expect(events[0]!.data.points).to.be.an("array");

    const snap = events.filter((e) => e.event === "snapshot").pop()!.data;
    const metrics = (await call(stack().url, "GET", "/metrics", { token: stack().operator })).body;
    expect(Object.keys(snap.metrics).sort()).to.deep.equal(Object.keys(metrics).sort());
    expect(Object.keys(snap.metrics.orderCounts).sort()).to.deep.equal(Object.keys(metrics.orderCounts).sort());
    expect(snap.items.find((i: { id: string }) => i.id === item.id)).to.include({ remaining: 9, stock: 9, state: "live" });
    expect(snap.point).to.have.keys("at", "accepted", "completed", "refused");
  });

  it("when the API stops while a dashboard listens, then the stream ends and the stop completes", async () => {
    const s = await startStack({ workers: 0, env: isolatedQueue() });
    const reading = readUntil(await open(s.url, s.operator), () => false); // to the end of the stream
    await s.stop();
    const events = await reading;
    expect(events.map((e) => e.event)).to.include("history");
  });

  it("when the API stops while a client holds a connection that never sent a request, then the stop does not wait for it", async () => {
    // fetch() opens such a spare connection when a stream is aborted; Node's
    // closeIdleConnections() leaves it, and server.close() would wait for the headers timeout.
    const s = await startStack({ workers: 0, env: isolatedQueue() });
    const spare = net.connect(s.api.port, "127.0.0.1");
    await new Promise((resolve) => spare.once("connect", resolve));
    const closed = new Promise((resolve) => spare.once("close", resolve));
    const stopped = await Promise.race([s.stop().then(() => "stopped"), new Promise((resolve) => setTimeout(resolve, 5_000, "still waiting after 5 s"))]);
    expect(stopped).to.equal("stopped");
    await closed;
  });
});
