// Demo data for objections, complaints and node control (issue 17): a services tender of the
// demo agent, 21 days before its deadline, so a bidder can object to its documents (Regs Art 22:
// until 10 days before), the agent answer, the bidder complain and the supervisor decide,
// without suspending the other demo tenders.
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { assignSupervisor } from "../app/features/witness/witness.server.ts";

export const REMEDIES_DEMO_CODE = "MZ-FW-2026-0311";
const DAY = 24 * 3600 * 1000;

export async function seedRemedies(prisma: PrismaClient): Promise<void> {
  if (await prisma.tender.findUnique({ where: { code: REMEDIES_DEMO_CODE }, select: { id: true } })) return;
  const model = await prisma.tender.findUnique({ where: { code: "MZ-JS-2026-0158" }, include: { documents: { take: 1 } } });
  const admin = await prisma.user.findUnique({ where: { email: "admin@demo.mingbiao.cn" }, select: { id: true } });
  const supervisor = await prisma.user.findUnique({ where: { email: "supervisor@demo.mingbiao.cn" }, select: { id: true } });
  if (!model || !admin || !supervisor) return;
  const issuedAt = new Date(Date.now() - 3 * DAY);
  const tender = await prisma.$transaction(async (tx) => {
    const row = await tx.tender.create({
      data: {
        code: REMEDIES_DEMO_CODE,
        title: "明州市会展中心周边绿地养护服务采购",
        description: "会展中心周边绿地、行道树的日常养护，服务期三年。\n\n投标人须具有城市园林绿化养护相关业绩。",
        region: model.region,
        procedureType: "SERVICES",
        mandatory: true,
        status: "PUBLISHED",
        estimatedPriceCents: 860_000_000n,
        bidSecurityCents: 10_000_000n,
        tendererOrgId: model.tendererOrgId,
        agentOrgId: model.agentOrgId,
        createdById: model.createdById,
        docsIssueAt: issuedAt,
        docsAvailableUntil: new Date(issuedAt.getTime() + 7 * DAY),
        bidDeadline: new Date(issuedAt.getTime() + 24 * DAY),
        publishedAt: issuedAt,
        readOutItems: model.readOutItems ?? [],
        qualificationRequirements: model.qualificationRequirements ?? [],
        evaluationMethod: model.evaluationMethod,
        evaluationConfig: model.evaluationConfig ?? {},
        documents: model.documents[0]
          ? {
              create: {
                kind: "TENDER_DOCUMENTS",
                fileName: `${REMEDIES_DEMO_CODE} 招标文件.pdf`,
                sizeBytes: model.documents[0].sizeBytes,
                sha256: model.documents[0].sha256,
                storageKey: model.documents[0].storageKey,
                uploadedById: model.createdById,
                createdAt: issuedAt,
              },
            }
          : undefined,
      },
      select: { id: true },
    });
    await appendAudit(
      {
        actorId: model.createdById,
        action: "tender.published",
        subjectType: "Tender",
        subjectId: row.id,
        data: { code: REMEDIES_DEMO_CODE, seed: true },
      },
      tx,
    );
    return row;
  });
  await assignSupervisor(admin.id, tender.id, supervisor.id);
}
