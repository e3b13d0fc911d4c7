import { createHmac } from "node:crypto";
import { signWitnessToken, verifyWitnessToken, type WitnessClaims } from "./token.ts";

const secret = "test-secret-0123456789";
const claims: WitnessClaims = { sub: "u1", name: "张三", role: "supervisor", roomIds: ["r1"], exp: 2_000_000_000 };

describe("witness token", () => {
  it("round-trips the claims", () => {
    const result = verifyWitnessToken(signWitnessToken(claims, secret), secret, 1_000);
    expect(result).toEqual({ ok: true, claims });
  });

  it("refuses a token signed with another secret", () => {
    const token = signWitnessToken(claims, "another-secret-0123456789");
    expect(verifyWitnessToken(token, secret, 1_000)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a token whose payload was changed (role escalation)", () => {
    const token = signWitnessToken({ ...claims, role: "device" }, secret);
    const [, sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims })).toString("base64url");
    expect(verifyWitnessToken(`${forged}.${sig}`, secret, 1_000)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses an expired token", () => {
    const token = signWitnessToken({ ...claims, exp: 1_000 }, secret);
    expect(verifyWitnessToken(token, secret, 1_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses garbage", () => {
    expect(verifyWitnessToken("abc", secret).ok).toBe(false);
    expect(verifyWitnessToken("a.b.c", secret).ok).toBe(false);
  });

  it("refuses claims that do not match the schema even when signed", () => {
    const payload = Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url");
    const sig = createHmac("sha256", secret).update(payload).digest("base64url");
    expect(verifyWitnessToken(`${payload}.${sig}`, secret, 1_000)).toEqual({ ok: false, reason: "invalid-claims" });
  });
});
