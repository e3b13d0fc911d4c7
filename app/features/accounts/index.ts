// What routes and other features may use of features/accounts (lint: eslint/depcruise boundaries). Import nothing deeper.
export { SignInSchema, SignUpSchema } from "./account-forms.ts";
export { registerBidder } from "./accounts.server.ts";
export { verifyPassword } from "./password.server.ts";
export { throttle } from "./sign-in-throttle.server.ts";
