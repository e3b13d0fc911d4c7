/**
 * Canonical JSON, the one serialisation of everything signed or hashed (decision 061): the
 * audit chain and its checkpoints, bid envelope headers and manifests, escrow records, receipts,
 * the opening record. Object keys sorted by UTF-16 code units, no whitespace, strings as
 * `JSON.stringify` writes them.
 *
 * Numbers are safe integers only: amounts are integer 分 (decision 022) and scores integers of a
 * fixed unit (decision 024), so no signed value depends on how a language prints a float.
 * Floats, NaN, bigint, functions, `undefined` in an array and non-plain objects (a Date, a Map)
 * are refused rather than silently normalised. An object member whose value is `undefined` is
 * absent (as in JSON, and as TypeScript's optional properties mean): nothing that could be
 * encoded before this rule changes its bytes.
 *
 * It lives in bidding-core because it is pure and both the law (the opening record) and crypto/
 * (which may import this one module of bidding-core) need exactly the same bytes.
 */
export type CanonicalValue =
  string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON allows safe integers only, got ${value}`);
      return String(value);
    case "object":
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
  }
}

function canonicalArray(items: readonly unknown[]): string {
  return `[${items
    .map((v, i) => {
      if (v === undefined) throw new TypeError(`canonical JSON: array item ${i} is undefined`);
      return canonicalJson(v);
    })
    .join(",")}]`;
}

function canonicalObject(obj: Record<string, unknown>): string {
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) throw new TypeError("canonical JSON encodes plain objects only");
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
  }
  return `{${parts.join(",")}}`;
}
