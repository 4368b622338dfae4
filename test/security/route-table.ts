// Every endpoint the running API serves, read from the Express app itself (so an endpoint added
// later is fuzzed too), plus the contract's list as a floor in case a router hides its paths.
import type { Stack } from "../support/stack";

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
}

const CONTRACT_ROUTES: Route[] = [
  { method: "GET", path: "/healthz" },
  { method: "GET", path: "/readyz" },
  { method: "POST", path: "/users" },
  { method: "POST", path: "/auth/token" },
  { method: "GET", path: "/users/:id/balance" },
  { method: "POST", path: "/users/:id/balance/credit" },
  { method: "POST", path: "/users/:id/balance/debit" },
  { method: "GET", path: "/users/:id/ledger" },
  { method: "POST", path: "/items" },
  { method: "GET", path: "/items" },
  { method: "GET", path: "/items/:id" },
  { method: "POST", path: "/items/:id/restock" },
  { method: "POST", path: "/orders" },
  { method: "GET", path: "/orders/:id" },
  { method: "GET", path: "/orders/:id/status" },
];

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function collect(stack: Layer[], out: Route[]): void {
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === "string") {
      for (const [m, on] of Object.entries(layer.route.methods)) {
        if (on && m !== "_all") out.push({ method: m.toUpperCase() as Route["method"], path: layer.route.path });
      }
    } else if (layer.handle?.stack) collect(layer.handle.stack, out);
  }
}

/** The routes of the stack's API: what Express has registered, and at least the contract's. */
export function routesOf(s: Stack): Route[] {
  const app = s.api.server.listeners("request")[0] as { router?: { stack: Layer[] } } | undefined;
  const found: Route[] = [];
  if (app?.router) collect(app.router.stack, found);
  const all = [...CONTRACT_ROUTES, ...found];
  const seen = new Set<string>();
  return all.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

/** True when a route takes a request body (every POST/PUT/PATCH). */
export const takesBody = (r: Route): boolean => r.method !== "GET" && r.method !== "DELETE";

/** The route's path with every `:param` replaced. */
export function fill(path: string, value: string): string {
  return path.replace(/:[A-Za-z]+/g, value);
}
