// Prints a token signed with JWT_SECRET: `npm run token -- --role operator [--sub <uuid>]`.
// For bootstrapping the first operator and for scripts; anyone holding JWT_SECRET can do this.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { config } from "@flashsale/config";
import { issueToken } from "@flashsale/api";

const { values } = parseArgs({ options: { role: { type: "string", default: "operator" }, sub: { type: "string" } } });
const role = values.role === "buyer" ? "buyer" : "operator";
process.stdout.write(`${issueToken(config().jwt, { id: values.sub ?? randomUUID(), role }).accessToken}\n`);
