// The signed 评标报告: the committee, the assigned supervisors and the agent, once every member signed (or was deemed to agree).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportPdf, roomAccess } from "~/features/evaluation/index.ts";
import { requireUser } from "~/platform/auth/auth.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const access = await roomAccess(user, params.tenderId ?? "");
  if (!access) throw new Response("Not Found", { status: 404 });
  const pdf = await reportPdf(access);
  if (!pdf) throw new Response("Not Found", { status: 404 });
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="evaluation-report.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
