import { z } from "zod";
import { CREDIT_CODE_FORMAT, isValidCreditCode } from "./credit-code.ts";

const email = z
  .string({ required_error: "validation.required" })
  .trim()
  .toLowerCase()
  .min(1, "validation.required")
  .max(254, "validation.email")
  .email("validation.email");

export const SignInSchema = z.object({
  email,
  password: z.string({ required_error: "validation.required" }).min(1, "validation.required").max(200, "validation.passwordLong"),
  redirectTo: z.string().optional(),
});

export const SignUpSchema = z
  .object({
    organizationName: z
      .string({ required_error: "validation.required" })
      .trim()
      .min(2, "validation.required")
      .max(100, "validation.tooLong"),
    creditCode: z
      .string({ required_error: "validation.required" })
      .trim()
      .toUpperCase()
      .regex(CREDIT_CODE_FORMAT, "validation.creditCodeFormat")
      .refine(isValidCreditCode, "validation.creditCodeChecksum"),
    name: z.string({ required_error: "validation.required" }).trim().min(1, "validation.required").max(50, "validation.tooLong"),
    email,
    phone: z
      .string({ required_error: "validation.required" })
      .trim()
      .regex(/^1[3-9]\d{9}$/, "validation.phone"),
    password: z
      .string({ required_error: "validation.required" })
      .min(10, "validation.passwordShort")
      .max(200, "validation.passwordLong"),
    passwordConfirm: z.string({ required_error: "validation.required" }),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    message: "validation.passwordMismatch",
    path: ["passwordConfirm"],
  });

export type SignUpInput = z.infer<typeof SignUpSchema>;
