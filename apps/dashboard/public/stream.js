// A Server-Sent Events reader over fetch(): EventSource cannot send an Authorization header,
// and a token must never sit in a URL (logs, history, referrers). Reconnects with backoff.

const MAX_BACKOFF_MS = 15_000;
const STALE_MS = 5_000;

/**
 * Opens `path` as an event stream and calls `handlers[eventName](data)` for each event.
 * `onState` hears "connecting", "live", "stale" and "refused" (a 401/403 ends the stream).
 * Returns a function that closes the stream for good.
 */
export function openStream(path, token, handlers, onState = () => {}) {
  let stopped = false;
  let controller;
  let backoff = 500;
  let staleTimer;

  const fresh = () => {
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => onState("stale"), STALE_MS);
  };

  async function connect() {
    while (!stopped) {
      onState("connecting");
      controller = new AbortController();
      try {
        const res = await fetch(path, {
          headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
          cache: "no-store",
          signal: controller.signal,
        });
        if (res.status === 401 || res.status === 403) {
          onState("refused", res.status);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        backoff = 500;
        onState("live");
        fresh();
        await readEvents(res.body, (name, data) => {
          fresh();
          handlers[name]?.(data);
        });
      } catch (err) {
        if (stopped) return;
        console.warn("dashboard stream:", err.message);
      }
      clearTimeout(staleTimer);
      if (stopped) return;
      onState("connecting");
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(staleTimer);
    controller?.abort();
  };
}

/** Parses the text/event-stream format: blocks separated by a blank line, `event:`/`data:` fields. */
async function readEvents(body, emit) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let sep;
    while ((sep = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, sep);
      buf = buf.slice(sep + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = val;
        else if (field === "data") data.push(val);
      }
      if (data.length === 0) continue;
      try {
        emit(name, JSON.parse(data.join("\n")));
      } catch {
        /* not JSON: not one of ours */
      }
    }
  }
}
