// What routes and other features may use of features/accounts (lint: eslint/depcruise boundaries). Import nothing deeper.
export { SignInSchema, SignUpSchema } from "./account-forms.ts";
export { registerBidder } from "./accounts.server.ts";
export { verifyPassword, hashPassword } from "./password.server.ts";
export { CREDIT_CODE_FORMAT, isValidCreditCode } from "./credit-code.ts";
export { throttle } from "./sign-in-throttle.server.ts";
