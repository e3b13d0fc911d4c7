import { createContext, useContext, type ReactNode } from "react";

const CsrfContext = createContext("");

export function CsrfProvider({ token, children }: { token: string; children: ReactNode }) {
  return <CsrfContext.Provider value={token}>{children}</CsrfContext.Provider>;
}

/**
 * Hidden field every state-changing form carries; actions check it with requireCsrf. The root gives
 * the token to signed-in pages only (anonymous public pages are shared from the public cache,
 * decision 070), so the forms of the public (sign-in, sign-up) pass the one their own loader made.
 */
export function CsrfInput({ token }: { token?: string }) {
  const fromRoot = useContext(CsrfContext);
  return <input type="hidden" name="csrf" value={token ?? fromRoot} />;
}
