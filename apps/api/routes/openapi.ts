import { Router } from "express";
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";

const DOCUMENT = path.join(packageRoot(import.meta.url), "openapi.json");

/** GET /openapi.json (public): the OpenAPI 3.1 document kept in the repository, read once. */
export function openapiRoutes(): Router {
  const r = Router();
  const document = readFileSync(DOCUMENT, "utf8");
  r.get("/openapi.json", (_req, res) => {
    res.type("application/json").set("cache-control", "no-cache").send(document);
  });
  return r;
}
