import express, { Router, type RequestHandler } from "express";
import { DASHBOARD_ASSETS as ASSETS } from "@flashsale/dashboard";
import { listItems, metricsSnapshot, type ItemView, type MetricsSnapshot } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { EventStream } from "../http/event-stream.ts";
import { SaleSnapshots, type SaleReading } from "../live/sale-snapshots.ts";

const STOP_GRACE_MS = 500;
const ITEMS_SHOWN = 200;

// Same-origin only, with no inline script or style. Unlike helmet's default it does not
// upgrade requests to https: the page is often opened over plain http on a LAN or container address.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const strictCsp: RequestHandler = (_req, res, next) => {
  res.set("content-security-policy", CSP);
  next();
};

/** The sale as the dashboard sees it: GET /metrics' own snapshot and every item's live view. */
async function readSale(deps: ApiDeps): Promise<SaleReading<MetricsSnapshot, ItemView>> {
  const [metrics, page] = await Promise.all([metricsSnapshot(deps).catch(() => null), listItems({ limit: ITEMS_SHOWN }, deps)]);
  return { metrics, items: page.data };
}

/**
 * GET /dashboard (the page and its assets, public) and GET /dashboard/events (operators):
 * Server-Sent Events with the recent per-second history at once, then a snapshot every second.
 */
export function dashboardRoutes(deps: ApiDeps): Router {
  const r = Router();
  const snapshots = new SaleSnapshots<MetricsSnapshot, ItemView>(() => readSale(deps));

  r.get("/dashboard/events", authenticate(deps.verifyToken), requireRole("operator"), (_req, res) => {
    // Reached only past authentication and the operator check. `connection: close`: an ended
    // stream closes its socket rather than idling as keep-alive.
    const stream = new EventStream(res);
    stream.open({ connection: "close" });
    // A client that cannot keep up skips snapshots instead of piling them up in memory.
    const feed = snapshots.subscribe((s) => stream.send("snapshot", s, { lossy: true }));
    stream.send("history", { points: feed.history });
    if (feed.latest) stream.send("snapshot", feed.latest, { lossy: true });
    const unlistenStop = deps.statusFeed.onStop(() => {
      const socket = res.socket;
      stream.close();
      // When the API stops, the socket goes too, at the latest after a grace period: a client
      // that stopped reading would otherwise keep it open and hold up server.close().
      if (socket) setTimeout(() => socket.destroy(), STOP_GRACE_MS).unref();
    });
    stream.whenClosed(() => (feed.unsubscribe(), unlistenStop()));
  });

  r.use("/dashboard", strictCsp);
  r.get("/dashboard", (_req, res) => {
    res.set("cache-control", "no-cache").sendFile("index.html", { root: ASSETS });
  });
  r.use("/dashboard", express.static(ASSETS, { index: false, redirect: false, setHeaders: (res) => res.setHeader("cache-control", "no-cache") }));
  return r;
}
