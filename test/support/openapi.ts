// Checks replies against apps/api/openapi.json: the status is documented for the operation,
// the content type is one it lists, required headers are there, and the body validates
// against the schema (ajv, JSON Schema 2020-12). call() runs this on every reply it receives.
import { readFileSync } from "node:fs";
import { AssertionError } from "chai";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Reply } from "./http";

type Obj = Record<string, any>;

export const spec: Obj = JSON.parse(readFileSync(new URL("../../apps/api/openapi.json", import.meta.url), "utf8"));

const SCHEMAS_ID = "https://flashsale.dev/openapi.json";
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const pointed = (v: unknown): Obj => JSON.parse(JSON.stringify(v).replaceAll('"#/components/schemas/', `"${SCHEMAS_ID}#/$defs/`));
ajv.addSchema({ $id: SCHEMAS_ID, $defs: pointed(spec.components.schemas) });

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: unknown): ValidateFunction {
  let v = compiled.get(key);
  if (!v) compiled.set(key, (v = ajv.compile(pointed(schema))));
  return v;
}

/** Errors of `value` against a component schema, or [] when it validates. */
export function schemaErrors(name: string, value: unknown): string[] {
  const v = validator(`schema:${name}`, { $ref: `#/components/schemas/${name}` });
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/** Follows a local $ref (#/components/...) to its object. */
function deref(o: Obj): Obj {
  if (typeof o?.$ref !== "string") return o;
  return deref(o.$ref.slice(2).split("/").reduce((at: Obj, k: string) => at[k.replace(/~1/g, "/").replace(/~0/g, "~")], spec));
}

// The document's paths as Express matches them: whole segments, any case, an optional
// trailing slash; concrete paths before templated ones (OpenAPI's rule).
const templates = Object.keys(spec.paths)
  .map((p) => ({
    path: p,
    params: (p.match(/\{/g) ?? []).length,
    re: new RegExp(`^${p.split(/(\{[^}]+\})/).map((s) => (s.startsWith("{") ? "[^/]+" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("")}/?$`, "i"),
  }))
  .sort((a, b) => a.params - b.params);

/** The document's path template for a request path (query ignored), or undefined. */
export function templateOf(path: string): string | undefined {
  const bare = path.split("?")[0]!;
  return templates.find((t) => t.re.test(bare))?.path;
}

const seen = new Set<string>();
/** "METHOD template status" of every reply checked so far in this process. */
export const seenResponses = (): ReadonlySet<string> => seen;

/** What is wrong with `reply` as an answer to `method pathTemplate` (undefined: a path the document does not have). */
export function specMismatches(method: string, pathTemplate: string | undefined, reply: Pick<Reply, "status" | "headers" | "body" | "text">): string[] {
  const m = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  const op: Obj | undefined = pathTemplate ? spec.paths[pathTemplate]?.[m] : undefined;
  const where = op ? `${method.toUpperCase()} ${pathTemplate}` : `${method.toUpperCase()} ${pathTemplate ?? "(a path the document does not have)"} → NoSuchEndpoint`;
  const declared: Obj | undefined = op ? op.responses[String(reply.status)] ?? op.responses.default : reply.status === 404 ? spec.components.responses.NoSuchEndpoint : undefined;
  if (!declared) return [`${where}: status ${reply.status} is not documented (${reply.text.slice(0, 200)})`];
  seen.add(`${method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase()} ${pathTemplate ?? "?"} ${reply.status}`);
  return responseMismatches(where, deref(declared), method, reply);
}

/** What is wrong with `reply` as the response components.responses[name] describes. */
export function componentResponseMismatches(name: string, reply: Pick<Reply, "status" | "headers" | "body" | "text">): string[] {
  return responseMismatches(`components.responses.${name}`, spec.components.responses[name], "GET", reply);
}

function responseMismatches(where: string, response: Obj, method: string, reply: Pick<Reply, "status" | "headers" | "body" | "text">): string[] {
  const out: string[] = [];
  for (const [name, h] of Object.entries<Obj>(response.headers ?? {})) {
    const value = reply.headers.get(name);
    if (value === null) {
      if (h.required) out.push(`${where} ${reply.status}: header ${name} is missing`);
      continue;
    }
    const schema = deref(h).schema;
    const typed = schema?.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    const v = validator(`header:${where}:${reply.status}:${name}`, schema ?? {});
    if (!v(typed)) out.push(`${where} ${reply.status}: header ${name}=${value} ${ajv.errorsText(v.errors)}`);
  }
  const type = (reply.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!response.content) {
    if (reply.text !== "") out.push(`${where} ${reply.status}: documented without a body, got ${type || "a body"}`);
    return out;
  }
  const media: Obj | undefined = response.content[type];
  if (!media) return [...out, `${where} ${reply.status}: content-type "${type}" is not one of ${Object.keys(response.content).join(", ")}`];
  if (method.toUpperCase() === "HEAD" || !media.schema) return out;
  const json = type === "application/json" || type.endsWith("+json");
  if (json && typeof reply.body === "string") return [...out, `${where} ${reply.status}: the body is not JSON: ${reply.text.slice(0, 200)}`];
  const v = validator(`body:${where}:${reply.status}:${type}`, media.schema);
  if (!v(json ? reply.body : reply.text)) {
    const errors = (v.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`);
    out.push(`${where} ${reply.status}: the body does not match the document: ${errors.join("; ")}\n      body: ${reply.text.slice(0, 400)}`);
  }
  return out;
}

// Kept on globalThis: the runner and the test files may load this module as two instances.
const store = globalThis as { __openapiMismatches?: string[]; __openapiChecked?: number };
/** How many replies were checked against the document in this run. */
export const checkedCount = (): number => store.__openapiChecked ?? 0;
/** Every mismatch call() met in this run, including any a test caught and ignored. */
export const recordedMismatches = (): string[] => (store.__openapiMismatches ??= []);

/** Throws (and records) unless the reply is what the document says `method pathTemplate` answers. */
export function expectMatchesSpec(method: string, pathTemplate: string | undefined, reply: Pick<Reply, "status" | "headers" | "body" | "text">): void {
  const problems = specMismatches(method, pathTemplate, reply);
  store.__openapiChecked = checkedCount() + 1;
  if (problems.length === 0) return;
  recordedMismatches().push(...problems);
  throw new AssertionError(`reply does not match apps/api/openapi.json:\n  ${problems.join("\n  ")}`);
}

/** call()'s check: the request path is resolved to the document's template first. */
export function expectReplyMatchesSpec(method: string, url: string, reply: Reply): void {
  expectMatchesSpec(method, templateOf(new URL(url).pathname), reply);
}
