import bcrypt from "bcryptjs";
import { AppError } from "@flashsale/domain";
import { createUser as insertUser, findUserForLogin, runIdempotent, type Db, type IdempotencyScope, type Replayable, type UserView } from "@flashsale/db";
import type { Caller } from "../caller.ts";

// Compared against when the email is unknown, so a login costs the same either way. Made on
// the first sign-in, not at import: the worker imports this package too and never signs in.
let dummyHash: Promise<string> | undefined;
const DUMMY_HASH = () => (dummyHash ??= bcrypt.hash("flashsale-timing-equaliser", 10));

export interface NewUser {
  email: string;
  password?: string;
  role: Caller["role"];
}

/** Creates an account (its password stored hashed only); a repeat of the Idempotency-Key replays the first answer. */
export async function createUser(input: NewUser, scope: IdempotencyScope | undefined, deps: { db: Db }): Promise<Replayable<UserView>> {
  const passwordHash = input.password ? await bcrypt.hash(input.password, 10) : undefined;
  return runIdempotent(deps.db, scope, 201, (tx) => insertUser(tx, { email: input.email, passwordHash, role: input.role }));
}

/** The account whose password this is; INVALID_CREDENTIALS, at the same cost, for an unknown email or a wrong password. */
export async function signIn(input: { email: string; password: string }, deps: { db: Db }): Promise<{ id: string; role: Caller["role"] }> {
  const user = await findUserForLogin(deps.db, input.email);
  const ok = await bcrypt.compare(input.password, user?.passwordHash ?? (await DUMMY_HASH()));
  if (!user || !user.passwordHash || !ok) throw new AppError("INVALID_CREDENTIALS", "email or password is wrong");
  return { id: user.id, role: user.role };
}
