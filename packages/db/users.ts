import { randomUUID } from "node:crypto";
import type { Db, Tx } from "./client.ts";
import { translateDbError } from "./prisma-errors.ts";

export interface UserView {
  id: string;
  email: string;
  role: "buyer" | "operator";
  createdAt: string;
}

function view(u: { id: string; email: string; role: "buyer" | "operator"; createdAt: Date }): UserView {
  return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt.toISOString() };
}

/** Creates a user; an email already taken (case-insensitively) is EMAIL_TAKEN. */
export async function createUser(db: Db | Tx, input: { email: string; passwordHash?: string; role: "buyer" | "operator" }): Promise<UserView> {
  const u = await db.user.create({
    data: { id: randomUUID(), email: input.email.toLowerCase(), passwordHash: input.passwordHash, role: input.role },
  }).catch((err: unknown) => translateDbError(err, "EMAIL_TAKEN"));
  return view(u);
}

/** The user and password hash for a login, or null. */
export async function findUserForLogin(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, role: true, passwordHash: true } });
}

export async function userExists(db: Db, id: string): Promise<boolean> {
  return (await db.user.count({ where: { id } })) > 0;
}
