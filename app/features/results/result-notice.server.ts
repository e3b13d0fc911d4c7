// 中标结果公告 (TBL Art 45): public from the award's result_notice_at, read through the public
// reads' own pool (decision 070). Winner, price, rank, the candidates passed over in plain words.
import { z } from "zod";
import { now } from "../../platform/clock.server.ts";
import { publicDb } from "../../platform/db.server.ts";
import { publishedCandidates } from "./award.server.ts";

export async function resultNotice(tenderId: string) {
  if (!z.string().uuid().safeParse(tenderId).success) return null;
  const award = await publicDb().award.findUnique({
    where: { tenderId },
    select: { winnerOrgId: true, winnerName: true, winnerRank: true, priceCents: true, resultNoticeAt: true, reason: true },
  });
  if (!award || award.resultNoticeAt.getTime() > now().getTime()) return null;
  const [tender, publicity, declines] = await Promise.all([
    publicDb().tender.findUnique({
      where: { id: tenderId },
      select: {
        id: true,
        code: true,
        title: true,
        region: true,
        tendererOrg: { select: { name: true } },
        agentOrg: { select: { name: true } },
      },
    }),
    publicDb().candidatePublicity.findUnique({ where: { tenderId }, select: { candidates: true, startsAt: true, endsAt: true } }),
    publicDb().awardDecline.findMany({
      where: { tenderId, recordedAt: { lte: award.resultNoticeAt } },
      orderBy: { rank: "asc" },
      select: { rank: true, bidderOrgId: true, cause: true, reason: true, recordedAt: true },
    }),
  ]);
  if (!tender) return null;
  const candidates = publishedCandidates(publicity?.candidates ?? []);
  return {
    tender: {
      id: tender.id,
      code: tender.code,
      title: tender.title,
      region: tender.region,
      tenderer: tender.tendererOrg.name,
      agent: tender.agentOrg?.name ?? null,
    },
    winner: { name: award.winnerName, rank: award.winnerRank, priceCents: award.priceCents?.toString() ?? null },
    noticeAt: award.resultNoticeAt.toISOString(),
    publicity: publicity ? { startsAt: publicity.startsAt.toISOString(), endsAt: publicity.endsAt.toISOString() } : null,
    declines: declines.map((d) => ({
      rank: d.rank,
      name: candidates.find((c) => c.bidderOrgId === d.bidderOrgId)?.name ?? "",
      cause: d.cause,
      reason: d.reason,
      recordedAt: d.recordedAt.toISOString(),
    })),
  };
}
export type ResultNotice = NonNullable<Awaited<ReturnType<typeof resultNotice>>>;
