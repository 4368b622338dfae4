import { expect } from "chai";
import { checkedCount, recordedMismatches } from "../support/openapi";

// A root hook: after the whole run, every reply call() found at odds with apps/api/openapi.json,
// including any a test caught (a waitFor retry, a .catch) and so did not fail on its own.
after(function () {
  const found = [...new Set(recordedMismatches())];
  console.log(`      OpenAPI: ${checkedCount()} replies checked against apps/api/openapi.json, ${found.length} mismatches`);
  expect(found, `replies that do not match apps/api/openapi.json:\n  ${found.join("\n  ")}\n`).to.deep.equal([]);
});
