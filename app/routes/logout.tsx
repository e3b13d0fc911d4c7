import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getUser } from "~/platform/auth/auth.server.ts";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { destroySession } from "~/platform/auth/session.server.ts";
import { readForm } from "~/platform/request.server.ts";
import { AUDIT_SUBJECT } from "~/platform/audit/subjects.ts";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await requireCsrf(request, await readForm(request));
  const user = await getUser(request);
  const cookie = await destroySession(request);
  if (user) {
    await appendAudit({ actorId: user.id, action: "auth.sign_out", subjectType: AUDIT_SUBJECT.User, subjectId: user.id });
  }
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
