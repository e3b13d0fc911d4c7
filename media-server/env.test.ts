import { parseMediaEnv } from "./env.ts";

const base = {
  MEDIA_INTERNAL_SECRET: "Zq8x-4Lm_Rt7Wc2Yv9Pb6Nd1Kf5Hj3Gs0Ae",
  WITNESS_TOKEN_SECRET: "Pb6Nd1Kf5Hj3Gs0Ae-Zq8x-4Lm_Rt7Wc2Yv9",
};

describe("media server environment in production (issue 11, item 4)", () => {
  it("starts with random-looking secrets", () => {
    expect(parseMediaEnv({ ...base, NODE_ENV: "production" }).NODE_ENV).toBe("production");
  });

  it("refuses a published example secret, naming the variable", () => {
    expect(() =>
      parseMediaEnv({
        ...base,
        NODE_ENV: "production",
        WITNESS_TOKEN_SECRET: "change-me-witness-token-secret-for-the-local-demo",
      }),
    ).toThrow(/WITNESS_TOKEN_SECRET: .*NODE_ENV=production/);
    expect(() =>
      parseMediaEnv({ ...base, NODE_ENV: "production", MEDIA_INTERNAL_SECRET: "test-internal-secret-0123456789-0123456789" }),
    ).toThrow(/MEDIA_INTERNAL_SECRET: /);
  });

  it("accepts the test values outside production", () => {
    expect(() =>
      parseMediaEnv({ ...base, NODE_ENV: "test", MEDIA_INTERNAL_SECRET: "test-internal-secret-0123456789-0123456789" }),
    ).not.toThrow();
  });
});
