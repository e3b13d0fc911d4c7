import { hashPassword, verifyPassword } from "./password.server.ts";

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("明标-correct-horse");
    expect(stored.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(await verifyPassword("明标-correct-horse", stored)).toBe(true);
    expect(await verifyPassword("明标-correct-hors", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("refuses a malformed or tampered stored hash", async () => {
    const stored = await hashPassword("pw-0123456789");
    const parts = stored.split("$");
    parts[5] = Buffer.from("x".repeat(32)).toString("base64");
    expect(await verifyPassword("pw-0123456789", parts.join("$"))).toBe(false);
    expect(await verifyPassword("pw-0123456789", "bcrypt$whatever")).toBe(false);
  });
});
