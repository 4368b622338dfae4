import type { RequestHandler } from "express";
import { AppError } from "@flashsale/domain";

/**
 * OPTIONS is not a method of this API: like any other method it does not describe, it is
 * 404 NOT_FOUND. (Left to Express, each router answered it on its own with 200 and only its
 * own methods, e.g. `GET, HEAD` for /orders, which also takes POST.)
 */
export const refuseOptions: RequestHandler = (req, _res, next) => {
  if (req.method === "OPTIONS") throw new AppError("NOT_FOUND", "no such endpoint");
  next();
};
