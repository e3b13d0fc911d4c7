// The published draw as JSON, for `npm run verify:draw -- --url …` and anyone's own tools.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { publicDraw } from "~/features/experts/index.ts";
import { db } from "~/platform/db.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = z.string().uuid().safeParse(params.tenderId);
  const tender = id.success
    ? await db().tender.findFirst({ where: { id: id.data, status: { not: "DRAFT" } }, select: { id: true, code: true } })
    : null;
  if (!tender) throw new Response("Not Found", { status: 404 });
  const draw = await publicDraw(tender.id);
  return json({ format: "MB-EXPERT-DRAW v1", tender: tender.code, ...draw }, { headers: { "Cache-Control": "no-store" } });
}
