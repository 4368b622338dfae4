// The operators' dashboard: sign in, then live counters, chart and items from one server-sent
// stream (GET /dashboard/events), the orders table, and the item forms.

import { api, claimsOf, onUnauthenticated, session } from "./api.js";
import { RateChart } from "./chart.js";
import { count, rate } from "./format.js";
import { fillItemSelects, ItemsPanel } from "./items.js";
import { OrdersPanel } from "./orders.js";
import { openStream } from "./stream.js";

const $ = (id) => document.getElementById(id);

const chart = new RateChart($("chart"));
const items = new ItemsPanel({ onChange: fillItemSelects });
const orders = new OrdersPanel({ itemName: (id) => items.items.get(id)?.name ?? id.slice(0, 8) });
let closeStream = null;

function showCounters(snapshot) {
  const c = snapshot.metrics?.orderCounts ?? {};
  $("c-rate").value = rate(snapshot.point?.accepted);
  $("c-completed").value = count(c.COMPLETED);
  $("c-rejected").value = count(c.REJECTED);
  $("c-failed").value = count(c.FAILED);
  $("c-queue").value = count(snapshot.metrics?.queue?.depth);
  $("c-inflight").value = c.PENDING == null || c.PROCESSING == null ? "–" : count(c.PENDING + c.PROCESSING);
}

function setLive(state) {
  const badge = $("live");
  badge.dataset.state = state;
  badge.textContent = { live: "live", connecting: "connecting…", stale: "no data", refused: "refused" }[state] ?? state;
}

async function start(token) {
  const claims = claimsOf(token);
  $("whoami").textContent = session.who ?? claims?.email ?? (claims?.sub ? `operator ${claims.sub.slice(0, 8)}` : "operator");
  $("sign-in").hidden = true;
  $("board").hidden = false;
  $("session").hidden = false;
  closeStream?.();
  closeStream = openStream(
    "/dashboard/events",
    token,
    {
      history: (h) => chart.reset(h.points),
      snapshot: (s) => {
        showCounters(s);
        if (s.items) items.update(s.items);
        if (s.point) chart.push(s.point);
      },
    },
    (state) => {
      setLive(state);
      if (state === "refused") signOut("The server refused this token for the dashboard (operators only).");
    },
  );
  // Items first: the orders table names the items of each order.
  await items.load().catch((e) => ($("items-note").textContent = e.message));
  await orders.first();
  chart.draw();
}

function signOut(message = "") {
  closeStream?.();
  closeStream = null;
  session.clear();
  $("board").hidden = true;
  $("session").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
}

/** Keeps the token only if it claims the operator role (the server checks it on every call). */
function useToken(token, who) {
  const claims = claimsOf(token);
  if (!claims) throw new Error("That is not a JWT.");
  if (claims.role !== "operator") throw new Error("This account is not an operator.");
  if (claims.exp && claims.exp * 1000 < Date.now()) throw new Error("This token has expired.");
  if (token !== session.token) session.set(token, who);
  return start(token);
}

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const f = new FormData(form);
  const button = form.querySelector("button");
  button.disabled = true;
  $("sign-in-error").textContent = "";
  try {
    const { accessToken } = await api("POST", "/auth/token", { email: f.get("email"), password: f.get("password") }, { token: null });
    form.reset();
    await useToken(accessToken, String(f.get("email")));
  } catch (err) {
    $("sign-in-error").textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

$("token-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  try {
    await useToken(String(new FormData(form).get("token")).trim().replace(/^Bearer\s+/i, ""));
    form.reset();
  } catch (err) {
    $("sign-in-error").textContent = err.message;
  }
});

$("sign-out").addEventListener("click", () => signOut());
onUnauthenticated(() => signOut("Your session has ended: sign in again."));

if (session.token) {
  useToken(session.token).catch((err) => signOut(err.message));
} else {
  signOut();
}
