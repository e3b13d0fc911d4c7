import { parseEnv } from "./env.server.ts";

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
