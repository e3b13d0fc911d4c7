// Demo data for the platform's outage record (decision 091): one incident the centre's
// administrator recorded a month ago, so /admin/outages shows the list beside its form. Far
// from any demo opening's decryption window, so it turns no demo bid into 撤回. Idempotent.
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { appendAudit } from "../app/platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../app/platform/audit/subjects.ts";

export const OUTAGE_DEMO_DESCRIPTION = "演示：机房 UPS 切换演练，平台暂停服务 12 分钟（已提前公告）";
const DAY = 24 * 3600 * 1000;

export async function seedOutages(prisma: PrismaClient): Promise<void> {
  if (await prisma.platformOutage.findFirst({ where: { description: OUTAGE_DEMO_DESCRIPTION }, select: { id: true } })) return;
  const admin = await prisma.user.findUnique({ where: { email: "admin@demo.mingbiao.cn" }, select: { id: true } });
  if (!admin) return;
  const from = new Date(Math.floor((Date.now() - 30 * DAY) / 60_000) * 60_000);
  const to = new Date(from.getTime() + 12 * 60_000);
  const row = await prisma.platformOutage.create({
    data: {
      source: "INCIDENT",
      startedAt: from,
      endedAt: to,
      description: OUTAGE_DEMO_DESCRIPTION,
      recordedById: admin.id,
      recordedAt: to,
    },
    select: { id: true },
  });
  await appendAudit({
    actorId: admin.id,
    action: "platform.incident_recorded",
    subjectType: AUDIT_SUBJECT.PlatformOutage,
    subjectId: row.id,
    data: { from: from.toISOString(), to: to.toISOString(), description: OUTAGE_DEMO_DESCRIPTION, demo: true },
  });
}
