import { expect } from "chai";
import { readFileSync } from "node:fs";
import { ERROR_CODES } from "@flashsale/domain";
import { renderDocument } from "../../apps/api/openapi/document";
import { STATUS_OF } from "../../apps/api/http/problem";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { spec } from "../support/openapi";
import { ACCOUNT_OPERATIONS, documentedOperations, SALE_OPERATIONS } from "./walk";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { name?: string; stack?: Layer[] };
}

/** Express 5 (router 2, path-to-regexp 8) `/orders/:id` as OpenAPI `/orders/{id}`; other syntax fails loudly. */
function openapiPath(path: string): string {
  if (/[*{}()?]/.test(path)) throw new Error(`route ${path} uses path syntax this test does not translate; extend openapiPath()`);
  return path.replace(/:([A-Za-z_$][\w$]*)/g, "{$1}");
}

/** Every "METHOD /path" the app serves: route layers, routers (mounted or not) and static folders. */
function appRoutes(layers: Layer[], prefix = "", out = new Set<string>()): Set<string> {
  for (const layer of layers) {
    const raw = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        if (typeof path !== "string") throw new Error(`route with a non-string path ${String(path)}`);
        for (const method of Object.keys(layer.route.methods)) {
          if (method === "_all") throw new Error(`${path} answers every method (.all); list its methods in the document and here`);
          out.add(`${method.toUpperCase()} ${openapiPath(prefix + path)}`);
        }
      }
    } else if (layer.handle?.stack) appRoutes(layer.handle.stack, prefix + raw, out);
    else if (layer.handle?.name === "serveStatic") out.add(`GET ${openapiPath(prefix + raw)}/{asset}`);
  }
  return out;
}

function documentRoutes(): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, unknown>>(spec.paths)) {
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) out.add(`${method.toUpperCase()} ${path}`);
  }
  return out;
}

describe("OpenAPI document: routes", () => {
  it("when the app's routes are read from its Express router, then the document has each one and no other", () => {
    const app = stack().api.server.listeners("request")[0] as unknown as { router: { stack: Layer[] } };
    const served = appRoutes(app.router.stack);
    const documented = documentRoutes();
    expect(served.size, "routes found in the app").to.be.greaterThan(15);
    expect([...served].filter((r) => !documented.has(r)), "served but not in apps/api/openapi.json").to.deep.equal([]);
    expect([...documented].filter((r) => !served.has(r)), "in apps/api/openapi.json but not served").to.deep.equal([]);
  });

  it("when the walk's operation lists are compared with the document, then together they name every operation once", () => {
    const walked = [...ACCOUNT_OPERATIONS, ...SALE_OPERATIONS];
    expect(new Set(walked).size).to.equal(walked.length);
    expect(walked.sort()).to.deep.equal(documentedOperations().sort());
  });

  it("when apps/api/openapi.json is compared with its source (apps/api/openapi/*.ts), then they agree (run `npm run openapi`)", () => {
    const file = readFileSync(new URL("../../apps/api/openapi.json", import.meta.url), "utf8");
    expect(file === renderDocument(), "apps/api/openapi.json is stale: run `npm run openapi`").to.equal(true);
  });

  it("when GET /openapi.json is asked without a token, then it is the file in the repository, as JSON", async () => {
    const r = await call(stack().url, "GET", "/openapi.json");
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.match(/^application\/json/);
    expect(r.body).to.deep.equal(spec);
    expect(r.body.openapi).to.match(/^3\.1\./);
  });

  it("when the document is read, then every $ref resolves, every path parameter is declared and operation ids are unique", () => {
    const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs.map((r) => r.slice(8, -1)))) {
      const target = ref.slice(2).split("/").reduce<any>((at, k) => at?.[k], spec);
      expect(target, `${ref} resolves`).to.be.an("object");
    }
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(ids.has(op.operationId), `${method} ${path} operationId unique`).to.equal(false);
        ids.add(op.operationId);
        const declared = (op.parameters ?? []).map((p: any) => (p.$ref ? spec.components.parameters[p.$ref.split("/").pop()] : p)).filter((p: any) => p.in === "path").map((p: any) => p.name);
        expect(declared.sort(), `${method} ${path} path parameters`).to.deep.equal((path.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1)).sort());
        expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path} has a success response`).to.equal(true);
      }
    }
  });

  it("when the Problem schema is read, then its code enum is the contract's error codes and each response's codes fit its status", () => {
    expect(spec.components.schemas.Problem.properties.code.enum).to.deep.equal([...ERROR_CODES]);
    const all = [...Object.values<any>(spec.paths).flatMap((item) => Object.values<any>(item).flatMap((op) => Object.entries<any>(op.responses))), ...Object.entries<any>(spec.components.responses)];
    for (const [status, response] of all) {
      const schema = response.content?.["application/problem+json"]?.schema;
      if (!schema) continue;
      // 408, 417 and 431 from the HTTP server, with the code of a malformed request
      if (["HeadersTooLarge", "RequestTimeout", "ExpectationFailed"].includes(status)) continue;
      for (const code of schema.properties.code.enum) expect(STATUS_OF[code as keyof typeof STATUS_OF], `${code} under ${status}`).to.equal(schema.properties.status.const);
    }
  });
});
