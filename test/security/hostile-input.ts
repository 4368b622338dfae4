// fast-check arbitraries for input a client should never send: any JSON at all, text that is
// not JSON, numbers no money or count field accepts, odd unicode, path segments and headers.
import fc from "fast-check";

/** Numbers (and number-likes) that no count, amount or quantity field of the contract accepts. */
export const notACount: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 0.1 + 0.2, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1e12 + 1, 1e13, Number.MIN_VALUE, -Number.MAX_SAFE_INTEGER),
  fc.constantFrom("1", "NaN", "Infinity", "-0", "1e308", "0x10", "١", "", " 1", null, true, false, [], {}, [1], { value: 1 }),
  fc.integer({ max: 0 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  fc.bigInt({ min: 2n ** 64n }).map((b) => Number(b)),
);

/** Strings with the awkward characters: NUL, lone surrogates, RTL marks, emoji, BOMs, control bytes. */
export const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\u202eevil", "\ufeff", "👩‍👩‍👧‍👦", "Ω≈ç√", "\r\n", "%00", "' OR 1=1 --", "${7*7}", "__proto__", "x".repeat(300)),
);

/** Raw bodies: serialised arbitrary values, plain text, broken JSON, JSON edge numbers. */
export const anyBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  oddText.map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 60 }),
  fc.constantFrom("{", "[", "nul", '{"a":', "\u0000", "\ufeff{}", "1e999999", "-0", "NaN", "Infinity", "[1,]", "{'a':1}", '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"items":1e400}'),
);

/** Objects shaped like the endpoint's body, with one or more fields replaced by hostile values. */
export function nearly(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const hostile = fc.oneof(notACount, oddText, fc.jsonValue({ maxDepth: 2 }));
  const entries = Object.entries(fields).map(([k, good]) => [k, fc.oneof(good, hostile)] as const);
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

/** A path segment: plain, web-safe, percent-encoded arbitrary text, broken escapes, or very long. */
export const segment: fc.Arbitrary<string> = fc.oneof(
  fc.webSegment(),
  fc.string({ unit: "binary", maxLength: 30 }).map(encodeURIComponent),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom("%", "%zz", "%00", "%C0%AF", "%ED%A0%80", "..%2f..%2fetc%2fpasswd", "%2e%2e", "null", "undefined", "0", "-1", "1e3", ";", "~", "a".repeat(5000)),
  fc.uuid().map((u) => `${u}%00`),
  fc.uuid().map((u) => ` ${u}`.replace(" ", "%20")),
);

/** A query string: known and unknown keys, repeated keys, brackets, broken escapes. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  fc.record({ limit: fc.oneof(fc.string({ maxLength: 8 }), notACount.map(String)), cursor: oddText }, { requiredKeys: [] }).map((q) => new URLSearchParams(q as Record<string, string>).toString()),
  fc.constantFrom("limit=1&limit=2", "limit[]=1", "limit[a]=1", "cursor[]=x", "cursor=%", "limit=%zz", "limit=201", "limit=0", "limit=1e2", "status=BOGUS", "userId=not-a-uuid", "from=yesterday", "to=9999999-01-01", "a".repeat(3000)),
  fc.webQueryParameters(),
);

/** Content-Type values: right, wrong, odd charsets and parameters. */
export const contentType: fc.Arbitrary<string> = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/json; charset=bogus",
  "APPLICATION/JSON",
  "application/problem+json",
  "application/merge-patch+json",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
  "json",
  ";;;",
);
