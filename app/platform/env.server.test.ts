import { readFileSync } from "node:fs";
import { mediaEnvSchema } from "../../media-server/env.ts";
import { ENV_KEYS, parseEnv } from "./env.server.ts";

const good = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  SESSION_SECRET: "s".repeat(32),
};

describe("environment", () => {
  it("applies defaults for optional settings", () => {
    const env = parseEnv(good);
    expect(env.PORT).toBe(3000);
    expect(env.COOKIE_SECURE).toBe(true);
  });

  it("names every missing or malformed variable", () => {
    expect(() => parseEnv({ ...good, DATABASE_URL: "mysql://x/y", SESSION_SECRET: "short" })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ URL[\s\S]*SESSION_SECRET: must be at least 32 characters/,
    );
    expect(() => parseEnv({ ...good, REDIS_URL: undefined })).toThrow(/REDIS_URL/);
  });
});

describe("production refuses published secrets and insecure cookies (issue 11, item 4)", () => {
  const random = (n: number) => `Zq8${n}x-4Lm_Rt7Wc2Yv9Pb6Nd1Kf5Hj3Gs0Ae`;
  const prod = {
    ...good,
    NODE_ENV: "production",
    SESSION_SECRET: random(1),
    MEDIA_INTERNAL_SECRET: random(2),
    WITNESS_TOKEN_SECRET: random(3),
    EXPERT_ID_HASH_KEY: random(4),
    COOKIE_SECURE: "true",
  };

  it("starts with generated-looking secrets", () => {
    expect(parseEnv(prod).NODE_ENV).toBe("production");
  });

  it.each([
    ["SESSION_SECRET", "change-me-this-is-only-for-the-local-demo-000"],
    ["MEDIA_INTERNAL_SECRET", "change-me-internal-secret-for-the-local-demo"],
    ["WITNESS_TOKEN_SECRET", "change-me-witness-token-secret-for-the-local-demo"],
    ["SESSION_SECRET", "test-session-secret-0123456789-0123456789"],
    ["SESSION_SECRET", "s".repeat(40)],
    ["EXPERT_ID_HASH_KEY", "test-expert-id-hash-key-0123456789-0123456"],
    ["EXPERT_ID_HASH_KEY", undefined],
  ])("names %s when it holds a known or non-random value", (name, value) => {
    expect(() => parseEnv({ ...prod, [name]: value })).toThrow(new RegExp(`${name}: .*NODE_ENV=production`));
  });

  it("still accepts the same values outside production", () => {
    expect(() =>
      parseEnv({ ...prod, NODE_ENV: "test", SESSION_SECRET: "test-session-secret-0123456789-0123456789" }),
    ).not.toThrow();
  });

  it("allows COOKIE_SECURE=false only while HOST and PUBLIC_URL are loopback", () => {
    expect(parseEnv({ ...prod, COOKIE_SECURE: "false" }).COOKIE_SECURE).toBe(false);
    expect(() => parseEnv({ ...prod, COOKIE_SECURE: "false", HOST: "0.0.0.0" })).toThrow(
      /COOKIE_SECURE: false is refused.*HOST=0\.0\.0\.0/,
    );
    expect(() => parseEnv({ ...prod, COOKIE_SECURE: "false", PUBLIC_URL: "http://bids.example.cn" })).toThrow(
      /COOKIE_SECURE: .*PUBLIC_URL=http:\/\/bids\.example\.cn/,
    );
  });
});

describe("one env schema per process, named in .env.example", () => {
  const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
  const named = (key: string) => new RegExp(`^#? ?${key}=`, "m").test(example);

  it("names every variable the app process reads", () => {
    for (const key of ENV_KEYS) expect(named(key), key).toBe(true);
  });

  it("names every variable the media server reads", () => {
    for (const key of Object.keys(mediaEnvSchema.innerType().innerType().shape)) expect(named(key), key).toBe(true);
  });

  it("holds the witness settings, with their defaults", () => {
    const env = parseEnv(good);
    expect(env.MEDIA_PUBLIC_URL).toBe("http://127.0.0.1:3100");
    expect(env.MEDIA_INTERNAL_URL).toBe("http://127.0.0.1:3100");
    expect(env.TRUST_PROXY).toBe(false);
    expect(() => parseEnv({ ...good, MEDIA_INTERNAL_URL: "not a url" })).toThrow(/MEDIA_INTERNAL_URL/);
  });
});
