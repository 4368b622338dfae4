import { expectReplyMatchesSpec } from "./openapi";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * A small fetch wrapper: JSON in, parsed JSON (or text) out, never throws on a status. Every
 * reply is checked against apps/api/openapi.json (status, content type, headers, body) and a
 * mismatch throws; `checkSpec: false` opts out for a request that must not be checked.
 */
export async function call<T = any>(base: string, method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; checkSpec?: boolean } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  const reply = { status: res.status, headers: res.headers, body: parsed as T, text };
  if (opts.checkSpec !== false) expectReplyMatchesSpec(method, res.url || base + path, reply);
  return reply;
}
