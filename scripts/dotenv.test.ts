import fs from "node:fs";
import { weakSecretReason } from "../crypto/secret-policy.ts";
import { completeDotEnv, parseDotEnv, SECRET_KEYS } from "./dotenv.mjs";

const example = fs.readFileSync(new URL("../.env.example", import.meta.url), "utf8");

describe("the set-up's .env (issue 11, item 4)", () => {
  it(".env.example holds no secret value", () => {
    const vars = parseDotEnv(example);
    for (const key of SECRET_KEYS) expect(vars[key]).toBe("");
  });

  it("a new .env gets random secrets that a production process accepts", () => {
    const { text } = completeDotEnv(example, {});
    const vars = parseDotEnv(text);
    for (const key of SECRET_KEYS) expect(weakSecretReason(vars[key] ?? "")).toBeNull();
    expect(new Set(SECRET_KEYS.map((k) => vars[k])).size).toBe(SECRET_KEYS.length);
    expect(completeDotEnv(example, {}).text).not.toBe(text);
    expect(vars.DATABASE_URL).toMatch(/^postgresql:\/\/mingbiao_app@/);
  });

  it("repairs an older .env: example secrets replaced, owner URL kept for migrations only", () => {
    const old = [
      "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mingbiao",
      "SESSION_SECRET=change-me-this-is-only-for-the-local-demo-000",
      "MEDIA_INTERNAL_SECRET=Zq8x-4Lm_Rt7Wc2Yv9Pb6Nd1Kf5Hj3Gs0Ae",
      "",
    ].join("\n");
    const { text, changed } = completeDotEnv(old, parseDotEnv(old), () => "R".repeat(43));
    const vars = parseDotEnv(text);
    expect(changed).toEqual([
      "SESSION_SECRET",
      "WITNESS_TOKEN_SECRET",
      "EXPERT_ID_HASH_KEY",
      "DATABASE_URL → MIGRATION_DATABASE_URL",
    ]);
    expect(vars).toMatchObject({
      SESSION_SECRET: "R".repeat(43),
      MEDIA_INTERNAL_SECRET: "Zq8x-4Lm_Rt7Wc2Yv9Pb6Nd1Kf5Hj3Gs0Ae",
      DATABASE_URL: "postgresql://mingbiao_app@127.0.0.1:5432/mingbiao",
      MIGRATION_DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/mingbiao",
    });
    expect(completeDotEnv(text, vars).changed).toEqual([]);
  });
});
