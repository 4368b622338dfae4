import type { RequestHandler } from "express";
import jwt, { type JwtHeader } from "jsonwebtoken";
import jwksClient from "jwks-rsa";
import { createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { AppError } from "@flashsale/domain";
import type { Config } from "@flashsale/config";
import type { Caller } from "@flashsale/app";

/** The verified caller of a request (req.auth), as the use cases know it. */
export type Auth = Caller;

declare module "express-serve-static-core" {
  interface Request {
    auth?: Auth;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const unauthenticated = (why: string) => new AppError("UNAUTHENTICATED", why);

/**
 * Verifies bearer tokens with an algorithm allow-list: HS256 only with JWT_SECRET, RS256 only
 * with JWT_PUBLIC_KEY or JWKS_URL. The key is chosen by the algorithm, so a token signed
 * with HMAC over the public key (HS/RS confusion) is refused, as is `none`.
 */
export function tokenVerifier(cfg: Config["jwt"]) {
  // Keys are built once: given a string, jsonwebtoken would try createPublicKey() on every
  // request before falling back to a secret key (a fifth of the API's CPU under load).
  const hsKey = cfg.secret ? createSecretKey(Buffer.from(cfg.secret, "utf8")) : undefined;
  const rsKey = cfg.publicKey ? createPublicKey(cfg.publicKey) : undefined;
  const jwks = cfg.jwksUrl ? jwksClient({ jwksUri: cfg.jwksUrl, cache: true, rateLimit: true }) : undefined;
  const jwksKeys = new Map<string, KeyObject>();
  const verified = new VerifiedTokens();

  async function keyFor(header: JwtHeader): Promise<KeyObject> {
    if (header.alg === "HS256" && hsKey) return hsKey;
    if (header.alg === "RS256" && rsKey) return rsKey;
    if (header.alg === "RS256" && jwks) {
      const kid = header.kid ?? "";
      let key = jwksKeys.get(kid);
      if (!key) {
        key = createPublicKey((await jwks.getSigningKey(header.kid)).getPublicKey());
        jwksKeys.set(kid, key);
      }
      return key;
    }
    throw unauthenticated("token algorithm not accepted");
  }

  return async function verify(token: string): Promise<Auth> {
    const known = verified.get(token);
    if (known) return known;
    const header = readHeader(token);
    const key = await keyFor(header).catch((err) => {
      throw err instanceof AppError ? err : unauthenticated("signing key not found");
    });
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: [header.alg as jwt.Algorithm],
        issuer: cfg.issuer,
        audience: cfg.audience,
      }) as jwt.JwtPayload;
    } catch (err) {
      throw unauthenticated(`invalid token: ${(err as Error).name === "TokenExpiredError" ? "expired" : "rejected"}`);
    }
    if (!isClaimSet(claims)) throw unauthenticated("malformed token");
    const role = claims.role ?? "buyer";
    if (typeof claims.sub !== "string" || !UUID.test(claims.sub)) throw unauthenticated("token subject must be a user id");
    if (role !== "buyer" && role !== "operator") throw unauthenticated("unknown role");
    const auth: Auth = { sub: claims.sub.toLowerCase(), role };
    verified.set(token, auth, typeof claims.exp === "number" ? claims.exp * 1000 : undefined);
    return auth;
  };
}

const isClaimSet = (v: unknown): v is jwt.JwtPayload => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The one place a token is taken apart (its header chooses the key): anything that is not
 * three base64url parts holding a JSON header and a JSON claim set is 401. jsonwebtoken throws
 * a SyntaxError of its own for a `typ: JWT` token whose payload is not JSON (`not json`,
 * `{"sub":`), which was a 500.
 */
function readHeader(token: string): JwtHeader {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    throw unauthenticated("malformed token");
  }
  if (!decoded || !isClaimSet(decoded.header) || !isClaimSet(decoded.payload)) throw unauthenticated("malformed token");
  return decoded.header;
}

/**
 * Tokens already verified, until their `exp` (at most a minute): a buyer repeats its token on
 * every request, and a token valid now stays valid until it expires (none is revoked).
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { auth: Auth; until: number }>();
  constructor(private readonly max = 20_000, private readonly ttlMs = 60_000) {}

  get(token: string): Auth | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (Date.now() >= e.until) {
      this.entries.delete(token);
      return undefined;
    }
    return e.auth;
  }

  set(token: string, auth: Auth, expMs: number | undefined): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { auth, until: Math.min(expMs ?? Infinity, Date.now() + this.ttlMs) });
  }
}

/** Issues an HS256 token for a user (POST /auth/token and the scripts). */
export function issueToken(cfg: Config["jwt"], user: { id: string; role: string; email?: string }): { accessToken: string; tokenType: "Bearer"; expiresIn: number } {
  if (!cfg.secret) throw new AppError("UNAVAILABLE", "token issuing is not configured (JWT_SECRET)");
  const accessToken = jwt.sign({ role: user.role, ...(user.email ? { email: user.email } : {}) }, cfg.secret, {
    algorithm: "HS256",
    subject: user.id,
    expiresIn: cfg.ttlSeconds,
    ...(cfg.issuer ? { issuer: cfg.issuer } : {}),
    ...(cfg.audience ? { audience: cfg.audience } : {}),
  });
  return { accessToken, tokenType: "Bearer", expiresIn: cfg.ttlSeconds };
}

/** 401 unless a valid bearer token is present; sets req.auth. */
export function authenticate(verify: (t: string) => Promise<Auth>): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw unauthenticated("a bearer token is required");
    req.auth = await verify(m[1]!);
    next();
  };
}

/** 403 unless the caller has one of the roles. */
export function requireRole(...roles: Auth["role"][]): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth || !roles.includes(req.auth.role)) throw new AppError("FORBIDDEN", `this needs the ${roles.join(" or ")} role`);
    next();
  };
}

