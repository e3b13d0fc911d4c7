import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./i18n.ts";

export const localeCookie = createCookie("mb_lng", {
  path: "/",
  sameSite: "lax",
  maxAge: 365 * 24 * 3600,
});

/** The visitor's chosen language (cookie), else zh-CN: the platform speaks Chinese first. */
export async function getLocale(request: Request): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  return isLocale(chosen) ? chosen : DEFAULT_LOCALE;
}
