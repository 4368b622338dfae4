import type { RequestHandler } from "express";

/**
 * A path with a malformed %-escape (`/orders/%E0%A4%A`) makes the router answer 400 while
 * matching, before authentication could run. Escaping the path's `%` signs lets the route run
 * its checks in the contract's order: 401/403 first, then the id fails as not a UUID (400).
 */
export const escapeStrayPercents: RequestHandler = (req, _res, next) => {
  const q = req.url.indexOf("?");
  const path = q === -1 ? req.url : req.url.slice(0, q);
  try {
    decodeURIComponent(path);
  } catch {
    req.url = path.replace(/%/g, "%25") + (q === -1 ? "" : req.url.slice(q));
  }
  next();
};
