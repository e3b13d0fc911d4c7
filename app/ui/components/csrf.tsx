import { createContext, useContext, type ReactNode } from "react";

const CsrfContext = createContext("");

export function CsrfProvider({ token, children }: { token: string; children: ReactNode }) {
  return <CsrfContext.Provider value={token}>{children}</CsrfContext.Provider>;
}

/** Hidden field every state-changing form carries; actions check it with requireCsrf. */
export function CsrfInput() {
  return <input type="hidden" name="csrf" value={useContext(CsrfContext)} />;
}
