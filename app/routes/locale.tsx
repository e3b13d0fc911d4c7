import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/platform/auth/auth.server.ts";
import { isLocale } from "~/ui/i18n.ts";
import { localeCookie } from "~/ui/locale.server.ts";
import { readForm } from "~/platform/request.server.ts";

export async function loader() {
  return redirect("/");
}

/** Language switch. No CSRF token needed: it changes only the visitor's own display language. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lng = form.get("lng");
  if (!isLocale(lng)) throw new Response("Unsupported language", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), {
    headers: { "Set-Cookie": await localeCookie.serialize(lng) },
  });
}
