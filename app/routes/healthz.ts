import { json } from "@remix-run/node";
import { healthReport } from "~/platform/health.server.ts";

export async function loader() {
  const report = await healthReport();
  return json(report, { status: report.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
