// Artillery hooks of the flash-sale scenarios (CommonJS: artillery 2.0 require()s its processor).
// Each answered POST /orders becomes one line of OUTCOMES_FILE — `status,code,orderId,userId,epochMs` —
// which `npm run load` reads to wait for the accepted orders and to check none was lost.
// It also counts answers by code in artillery's own report (flashsale.<code>).
const fs = require("node:fs");

function recordOutcome(req, res, context, events, next) {
  let code = "";
  let id = "";
  try {
    const body = typeof res.body === "string" ? JSON.parse(res.body) : res.body;
    code = res.statusCode === 202 ? "" : String(body.code || "");
    id = res.statusCode === 202 ? String(body.id || "") : "";
  } catch {
    code = res.statusCode === 202 ? "" : "UNPARSEABLE";
  }
  events.emit("counter", `flashsale.${res.statusCode === 202 ? "ACCEPTED" : code || res.statusCode}`, 1);
  if (process.env.OUTCOMES_FILE) {
    fs.appendFileSync(process.env.OUTCOMES_FILE, `${res.statusCode},${code},${id},${context.vars.userId || ""},${Date.now()}\n`);
  }
  return next();
}

module.exports = { recordOutcome };
