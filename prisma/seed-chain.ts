// Demo data for the whole chain on one tender (issue 15 item 12): the opening demo tender
// MZ-JS-2026-0099 (seed-opening.ts), once its hall has closed, can go on to the expert request,
// the draw and the evaluation room. It needs what the room reads and the hall's tender does not
// have: a scoring table (评分标准) and qualification criteria (the works table of the demo tender
// MZ-JS-2026-0158, seed-evaluation.ts), and a signing key file for whichever demo experts the draw
// picks (`DEMO_KEYS_DIR/evaluation/<email>-sign.p12`, the demo password; seed-room.ts makes them
// for its own committee). Idempotent: a table already there and a key file already made are kept.
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { expertSigningKey } from "./seed-room.ts";
import path from "node:path";
import fs from "node:fs";

export const CHAIN_TENDER_CODE = "MZ-JS-2026-0099";
/** The demo tender whose scoring table and qualification criteria the chain's tender takes. */
const TABLE_FROM = "MZ-JS-2026-0158";

export async function seedChainDemo(prisma: PrismaClient, input: { keysDir: string; password: string }): Promise<void> {
  const tender = await prisma.tender.findUnique({
    where: { code: CHAIN_TENDER_CODE },
    select: { id: true, evaluationConfig: true, qualificationRequirements: true },
  });
  const model = await prisma.tender.findUnique({
    where: { code: TABLE_FROM },
    select: { evaluationConfig: true, qualificationRequirements: true },
  });
  if (!tender || !model) throw new Error(`seed-chain: ${CHAIN_TENDER_CODE} or ${TABLE_FROM} is missing (run the main seed)`);
  const empty = (v: unknown) => v == null || (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0);
  if (empty(tender.evaluationConfig) || empty(tender.qualificationRequirements)) {
    await prisma.tender.update({
      where: { id: tender.id },
      data: {
        evaluationMethod: "COMPREHENSIVE",
        ...(empty(tender.evaluationConfig) ? { evaluationConfig: model.evaluationConfig ?? {} } : {}),
        ...(empty(tender.qualificationRequirements) ? { qualificationRequirements: model.qualificationRequirements ?? [] } : {}),
      },
    });
  }
  const dir = path.join(path.resolve(input.keysDir), "evaluation");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const experts = await prisma.user.findMany({
    where: { role: "EXPERT", email: { endsWith: "@demo.mingbiao.cn" }, expert: { status: "APPROVED" } },
    orderBy: { email: "asc" },
    select: { email: true },
  });
  for (const e of experts) await expertSigningKey(prisma, e.email, dir, input.password);
}
