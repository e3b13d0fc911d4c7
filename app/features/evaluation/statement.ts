// What a member's signing certificate signs in the room (browser and server build the same
// bytes): the canonical JSON of the act, the tender, the member and what they state.
import { canonicalJson, utf8 } from "../../../crypto/browser.ts";

/** What canonicalJson takes (crypto re-exports only the function). */
export type JsonBody = Parameters<typeof canonicalJson>[0];

export type RoomAct = "sign-in" | "pledge" | "qualification" | "score" | "adjustment" | "report";

/** 诚信承诺书 (Eval-Rules Art 13 and 14): what each member signs before scoring. */
export const PLEDGE_TEXT =
  "本人承诺：客观、公正、审慎地履行评标职责，遵守评标纪律；不私下接触投标人，不收受任何财物或好处；与投标人有利害关系的主动回避；对评标情况严格保密。";

/**
 * Canonical JSON takes safe integers only; points (12.5) and aggregated scores (86.67) are
 * decimals, so every non-integer number is signed as its decimal string.
 */
export function signable(value: unknown): JsonBody {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(signable);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, signable(v)]),
    );
  return value as JsonBody;
}

export function roomStatementText(act: RoomAct, tenderId: string, memberUserId: string, body: unknown): string {
  return canonicalJson({ act, tenderId, memberUserId, body: signable(body) });
}

export function roomStatement(act: RoomAct, tenderId: string, memberUserId: string, body: unknown): Uint8Array {
  return utf8(roomStatementText(act, tenderId, memberUserId, body));
}
