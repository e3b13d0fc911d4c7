import { SignUpSchema } from "./account-forms.ts";
import { creditCodeCheckChar } from "./credit-code.ts";
import { parseForm } from "../../platform/forms.ts";

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

const valid = {
  organizationName: "华东建工集团有限公司",
  creditCode: "91330100MA2B00011" + creditCodeCheckChar("91330100MA2B00011"),
  name: "李投标",
  email: "Li@Example.com ",
  phone: "13800138000",
  password: "correct horse battery",
  passwordConfirm: "correct horse battery",
};

describe("bidder sign-up form", () => {
  it("normalises the email and accepts a complete form", () => {
    const r = parseForm(SignUpSchema, form(valid));
    expect(r.ok && r.data.email).toBe("li@example.com");
  });

  it.each([
    [
      "creditCode",
      { creditCode: valid.creditCode.slice(0, 17) + (valid.creditCode.endsWith("0") ? "1" : "0") },
      "validation.creditCodeChecksum",
    ],
    ["creditCode", { creditCode: "123" }, "validation.creditCodeFormat"],
    ["email", { email: "not-an-email" }, "validation.email"],
    ["phone", { phone: "0571-8888888" }, "validation.phone"],
    ["password", { password: "short", passwordConfirm: "short" }, "validation.passwordShort"],
    ["passwordConfirm", { passwordConfirm: "something else" }, "validation.passwordMismatch"],
  ])("names the %s error with a translatable key", (field, change, key) => {
    const r = parseForm(SignUpSchema, form({ ...valid, ...change }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors[field]).toBe(key);
  });

  it("never echoes passwords or the CSRF token back into the form", () => {
    const r = parseForm(SignUpSchema, form({ ...valid, phone: "1", csrf: "tok" }));
    expect(r.values.password).toBeUndefined();
    expect(r.values.passwordConfirm).toBeUndefined();
    expect(r.values.csrf).toBeUndefined();
    expect(r.values.phone).toBe("1");
  });
});
