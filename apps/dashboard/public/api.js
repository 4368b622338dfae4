// Talking to the flashsale API as the signed-in operator. The token lives in sessionStorage
// only (gone when the tab closes) and travels in the Authorization header, never in a URL.

const TOKEN_KEY = "flashsale.operatorToken";
const WHO_KEY = "flashsale.operatorEmail";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** Who signed in, for display (tokens from POST /auth/token carry no email). */
  get who() {
    return sessionStorage.getItem(WHO_KEY);
  },
  set(token, who) {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (who) sessionStorage.setItem(WHO_KEY, who);
    else sessionStorage.removeItem(WHO_KEY);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(WHO_KEY);
  },
};

/** The JWT's claims, decoded for display only: the server verifies every request. */
export function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")));
  } catch {
    return null;
  }
}

const listeners = new Set();
/** Called with the error when the server says the token is no longer good (401). */
export function onUnauthenticated(fn) {
  listeners.add(fn);
}

/** JSON in, JSON out; throws ApiError with the problem's code on any non-2xx answer. */
export async function api(method, path, body, { token = session.token } = {}) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && token) listeners.forEach((fn) => fn(err));
    throw err;
  }
  return data;
}

/** A query string from the non-empty fields of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
