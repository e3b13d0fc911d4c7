// 汇总 closed → 评标报告 (Regs Art 53): the report's canonical JSON is what every member signs
// (CMS with their signing certificate) or dissents on in writing; at the deadline a member who
// did neither is deemed to agree. Then the PDF (A4, Noto Sans CJK) is signed by the platform
// (PAdES + RFC 3161) over a document that carries the members' CMS signatures, stored by hash,
// sent to the agent and the supervisors, and the witness room closes.
import PDFDocument from "pdfkit";
import { canonicalJson, issueTimestamp, sha256, timestampRequestFor, toHex, utf8 } from "../../../crypto/index.node.ts";
import { formatYuan, REPORT_SIGNING_HOURS } from "../../../bidding-core/index";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { CJK_FACE, CJK_FONT, signPdfAsPlatform } from "../../platform/pdf-signature.server.ts";
import type { Outcome } from "../../platform/refusal.ts";
import { putBuffer } from "../../platform/storage.server.ts";
import { platformPki } from "../pki/index.ts";
import { toBeijingLocal } from "../tenders/index.ts";
import { closeEvaluationWitness } from "../witness/index.ts";
import { ensureSession, refused, type RoomAccess, verifyMemberSignature } from "./room-access.server.ts";
import { activeMembers, currentSummary } from "./room.server.ts";
import { reportData } from "./scoring-pipeline.server.ts";
import { roomClarifications } from "./clarification.server.ts";
import { signable } from "./statement.ts";
import { z } from "zod";

export const ReportSignSchema = z.object({
  signature: z.string().min(16).max(20_000),
  dissent: z.string().trim().max(4000).optional(),
});

const json = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))) as Record<string, unknown>;

export function reportSha256(report: unknown): string {
  return toHex(sha256(utf8(canonicalJson(signable(report)))));
}

/** The chair closes the summary: every sheet in, every outlier explained; the report is drafted. */
export async function closeSummary(access: RoomAccess, user: SessionUser): Promise<Outcome<{ reportSha256: string }>> {
  const tenderId = access.tender.id;
  if (access.role !== "member") return refused(user, tenderId, "summary.close", "room.notMember", 403);
  const opened = await ensureSession(access, user);
  if (!opened.ok) return opened;
  const session = await db().evaluationSession.findUniqueOrThrow({ where: { id: opened.value.id } });
  if (session.reportSignedAt) return refused(user, tenderId, "summary.close", "room.reportSigned", 409, "Regs Art 53");
  if (session.chairUserId !== user.id) return refused(user, tenderId, "summary.close", "room.chairOnly", 403);
  if (session.summaryClosedAt) return refused(user, tenderId, "summary.close", "room.summaryClosed", 409);
  const current = await currentSummary(session, tenderId);
  const { summary, bids, members, rows, rules } = current;
  if (!summary.ok)
    return refused(user, tenderId, "summary.close", `room.errors.${summary.error.code}`, 409, summary.error.article);
  if (!summary.value.canClose) return refused(user, tenderId, "summary.close", "room.outlierUnexplained", 409);
  const names = new Map(
    (await db().user.findMany({ where: { id: { in: members } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const memberRows = await db().evaluationMember.findMany({ where: { sessionId: session.id }, orderBy: { id: "asc" } });
  const qualification = (session.qualification ?? []) as unknown as Parameters<typeof reportData>[0]["qualification"];
  const data = reportData({
    qualification,
    ranking: summary.value.ranking as Parameters<typeof reportData>[0]["ranking"],
    maxCandidates: rules.room.maxCandidates,
    signatures: [],
  });
  const bidderName = new Map(bids.map((b) => [b.bidderId, b.bidderName]));
  const { bids: all } = await import("./room.server.ts").then((m) => m.roomBids(tenderId));
  for (const b of all) bidderName.set(b.bidderId, b.bidderName);
  const at = now();
  const report = json({
    tender: { id: tenderId, code: access.tender.code, title: access.tender.title },
    session: {
      openedAt: session.openedAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      extended: session.extendedAt !== null,
    },
    committee: memberRows.map((m) => ({
      userId: m.userId,
      name: names.get(m.userId) ?? "",
      chair: m.userId === session.chairUserId,
      signedInAt: m.signedInAt?.toISOString() ?? null,
      pledgedAt: m.pledgedAt?.toISOString() ?? null,
      recusal: m.recusal,
      recusalReason: m.recusalReason,
      replaced: m.endedAt !== null,
    })),
    bidders: Object.fromEntries(bidderName),
    qualification,
    rejected: data.rejected,
    differences: data.differences,
    collusionFindings: session.collusionFindings,
    method: current.method,
    sheets: rows.map((s) => ({
      memberUserId: s.memberUserId,
      bidderId: s.bidderId,
      ...(current.method === "LOWEST_EVALUATED_PRICE"
        ? { amounts: (s.body as { amounts: unknown }).amounts }
        : { points: (s.body as { points: unknown }).points }),
      outlierReasons: s.outlierReasons,
    })),
    ...(current.method === "LOWEST_EVALUATED_PRICE"
      ? {
          adjustmentRules: rules.adjustments,
          summary: {
            results: summary.value.results,
            memberPrices: "memberPrices" in summary.value ? summary.value.memberPrices : [],
            outliers: [],
          },
        }
      : {
          summary: {
            benchmark: "benchmark" in summary.value ? summary.value.benchmark : null,
            results: summary.value.results,
            outliers: summary.value.outliers,
          },
        }),
    clarifications: (await roomClarifications(tenderId))
      .filter((c) => c.status !== "rejected")
      .map((c) => ({ bidderId: c.bidderId, question: c.question, answer: c.answer, answeredAt: c.answeredAt })),
    candidates: data.candidates,
    draftedAt: at.toISOString(),
  });
  const hash = reportSha256(report);
  await db().$transaction(async (tx) => {
    await tx.evaluationSession.update({
      where: { id: session.id },
      data: {
        summaryClosedAt: at,
        report: report as object,
        reportDraftedAt: at,
        reportDeadline: new Date(at.getTime() + REPORT_SIGNING_HOURS * 3_600_000),
      },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: "evaluation.summary_closed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { tenderId, reportSha256: hash, candidates: data.candidates.map((c) => c.bidderId) },
      },
      tx,
    );
  });
  return { ok: true, value: { reportSha256: hash } };
}

/** A member signs the report (CMS over {reportSha256, dissent}); a written dissent is kept with it. */
export async function signReport(access: RoomAccess, user: SessionUser, input: unknown): Promise<Outcome<{ finished: boolean }>> {
  const tenderId = access.tender.id;
  if (access.role !== "member") return refused(user, tenderId, "report.sign", "room.notMember", 403);
  const parsed = ReportSignSchema.safeParse(input);
  if (!parsed.success) return refused(user, tenderId, "report.sign", "room.badInput", 422);
  const session = await db().evaluationSession.findUnique({
    where: { tenderId },
    select: { id: true, report: true, reportSignedAt: true },
  });
  if (!session?.report) return refused(user, tenderId, "report.sign", "room.noReport", 409);
  if (session.reportSignedAt) return refused(user, tenderId, "report.sign", "room.reportSigned", 409, "Regs Art 53");
  const me = await db().evaluationMember.findUnique({ where: { sessionId_userId: { sessionId: session.id, userId: user.id } } });
  if (!me || me.endedAt) return refused(user, tenderId, "report.sign", "room.notMember", 403);
  if (me.reportSignedAt) return refused(user, tenderId, "report.sign", "room.alreadySigned", 409);
  const hash = reportSha256(session.report);
  const dissent = parsed.data.dissent ?? "";
  const v = await verifyMemberSignature(user.id, parsed.data.signature, "report", tenderId, { reportSha256: hash, dissent });
  if (!v.ok) return refused(user, tenderId, "report.sign", v.code, 422);
  await db().$transaction(async (tx) => {
    await tx.evaluationMember.update({
      where: { id: me.id },
      data: { reportSignature: parsed.data.signature, reportSignedAt: now(), dissent: dissent || null },
    });
    await appendAudit(
      {
        actorId: user.id,
        action: dissent ? "evaluation.report_dissented" : "evaluation.report_signed",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: { tenderId, memberId: user.id, reportSha256: hash, certificateSerial: v.serial },
      },
      tx,
    );
  });
  const pending = (await activeMembers(session.id)).filter((m) => !m.reportSignedAt);
  if (pending.length > 0) return { ok: true, value: { finished: false } };
  await finishReport(tenderId, user.id);
  return { ok: true, value: { finished: true } };
}

/** At the deadline, a member who neither signed nor gave written reasons is deemed to agree (Regs Art 53); then the report is issued. */
export async function finishIfDue(tenderId: string): Promise<boolean> {
  const session = await db().evaluationSession.findUnique({
    where: { tenderId },
    select: { id: true, reportDeadline: true, reportSignedAt: true },
  });
  if (!session?.reportDeadline || session.reportSignedAt || now() < session.reportDeadline) return false;
  await db().$transaction(async (tx) => {
    const silent = await tx.evaluationMember.findMany({
      where: { sessionId: session.id, endedAt: null, reportSignedAt: null },
      select: { id: true, userId: true },
    });
    for (const m of silent) {
      await tx.evaluationMember.update({ where: { id: m.id }, data: { deemedAgreed: true } });
      await appendAudit(
        {
          action: "evaluation.deemed_agreed",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tenderId,
          data: { tenderId, memberId: m.userId, article: "Regs Art 53" },
        },
        tx,
      );
    }
  });
  await finishReport(tenderId, null);
  return true;
}

async function finishReport(tenderId: string, actorId: string | null): Promise<void> {
  const session = await db().evaluationSession.findUniqueOrThrow({
    where: { tenderId },
    select: { id: true, report: true, reportSignedAt: true },
  });
  if (session.reportSignedAt || !session.report) return;
  const members = await activeMembers(session.id);
  const report = session.report as Record<string, unknown>;
  const stances = reportData({
    qualification: [],
    ranking: [],
    maxCandidates: 0,
    signatures: members.map((m) => ({
      memberId: m.userId,
      signed: m.reportSignedAt !== null,
      ...(m.dissent ? { dissent: m.dissent } : {}),
    })),
  }).stances;
  const signatures = members.map((m) => ({
    memberUserId: m.userId,
    stance: stances.find((s) => s.memberId === m.userId)?.stance ?? "deemed-to-agree",
    dissent: m.dissent,
    cms: m.reportSignature,
    signedAt: m.reportSignedAt?.toISOString() ?? null,
  }));
  const at = now();
  const pki = await platformPki();
  const pdf = await signPdfAsPlatform(
    await renderReportPdf(report, signatures, reportSha256(report)),
    { reason: "评标报告", name: "明标电子招标投标交易平台", location: "评标室" },
    pki.signer,
    pki.tsa,
    at,
  );
  const pdfSha256 = await putBuffer(pdf);
  const stamp = issueTimestamp({ signer: pki.tsa }, timestampRequestFor(sha256(pdf)), at);
  const tender = await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { createdById: true, code: true } });
  const supervisors = await db().tenderSupervisor.findMany({ where: { tenderId }, select: { userId: true } });
  const done = await db().$transaction(async (tx) => {
    const n = await tx.evaluationSession.updateMany({
      where: { id: session.id, reportSignedAt: null },
      data: { reportSignedAt: at, reportPdfSha256: pdfSha256, reportTimestamp: Buffer.from(stamp.token) },
    });
    if (n.count !== 1) return false;
    await appendAudit(
      {
        actorId,
        action: "evaluation.report_issued",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tenderId,
        data: {
          tenderId,
          reportSha256: reportSha256(report),
          pdfSha256,
          stances: signatures.map((s) => ({ memberId: s.memberUserId, stance: s.stance })),
        },
      },
      tx,
    );
    // The report goes to the agent and the assigned supervisors (and no one else).
    await tx.notification.createMany({
      data: [tender.createdById, ...supervisors.map((s) => s.userId)].map((userId) => ({
        userId,
        kind: "evaluation.report",
        title: `评标报告已签署 ${tender.code}`,
        body: "{}",
        link: `/evaluation/${tenderId}/report.pdf`,
      })),
    });
    return true;
  });
  if (done) await closeEvaluationWitness(tenderId, actorId);
}

type SignatureLine = {
  memberUserId: string;
  stance: string;
  dissent: string | null;
  cms: string | null;
  signedAt: string | null;
};

/** Ideographic space (U+3000), the indent of Chinese forms. */
const IDSP = "\u3000";

const STANCE = {
  agrees: "同意并签名",
  dissents: "书面持不同意见",
  "deemed-to-agree": "未签名且未书面说明理由，视为同意（《招标投标法实施条例》第五十三条）",
} as Record<string, string>;

/** The report as A4 zh-CN, before the platform's signature; the members' CMS signatures are printed with their digests. */
export function renderReportPdf(report: Record<string, unknown>, signatures: SignatureLine[], hash: string): Promise<Buffer> {
  const r = report as {
    tender: { code: string; title: string };
    session: { openedAt: string };
    committee: {
      userId: string;
      name: string;
      chair: boolean;
      signedInAt: string | null;
      pledgedAt: string | null;
      recusal: string | null;
      recusalReason: string | null;
      replaced: boolean;
    }[];
    bidders: Record<string, string>;
    rejected: { bidderId: string; failures: { criterionId: string; reason: string }[] }[];
    differences: { bidderId: string; criterionId: string; majorityPassed: boolean; minority: string[] }[];
    collusionFindings: { bidderIds: string[]; reason: string }[];
    method?: "COMPREHENSIVE" | "LOWEST_EVALUATED_PRICE";
    sheets: {
      memberUserId: string;
      bidderId: string;
      points?: Record<string, number>;
      amounts?: Record<string, string>;
    }[];
    adjustmentRules?: { id: string; factor: string; rule: string; minPercent?: number; maxPercent?: number }[];
    summary: {
      benchmark?: string | null;
      results: {
        bidderId: string;
        technicalScore?: number;
        commercialScore?: number;
        priceScore?: number;
        pricePoints?: number;
        total?: number;
        price: string;
        evaluatedPrice?: string;
        adjustments?: { reason: string; amount: string }[];
      }[];
      memberPrices?: { memberId: string; bidderId: string; evaluatedPrice: string }[];
      outliers: { expertId: string; bidderId: string; part: string; reason: string | null }[];
    };
    candidates: { rank: number; bidderId: string }[];
    clarifications?: { bidderId: string; question: string; answer: string | null }[];
  };
  const name = (id: string) => r.committee.find((m) => m.userId === id)?.name ?? id;
  const bidder = (id: string) => r.bidders[id] ?? id;
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    info: { Title: `评标报告 ${r.tender.code}`, Author: "明标", Creator: "MingBiao" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font(CJK_FONT, CJK_FACE);
  doc.fontSize(18).text("评标报告", { align: "center" }).moveDown(0.5).fontSize(10);
  doc
    .text(`项目编号：${r.tender.code}`)
    .text(`项目名称：${r.tender.title}`)
    .text(`评标开始：${toBeijingLocal(r.session.openedAt)}（北京时间）`);
  const h = (t: string) => doc.moveDown(0.5).fontSize(12).text(t).fontSize(9);
  h("一、评标委员会、签到、承诺与回避");
  for (const m of r.committee)
    doc.text(
      `${m.name}${m.chair ? "（组长）" : ""}${IDSP}签到：${m.signedInAt ? toBeijingLocal(m.signedInAt) : "—"}${IDSP}承诺书：${m.pledgedAt ? "已签署" : "—"}${IDSP}回避：${m.recusal === "recused" ? `回避（${m.recusalReason ?? ""}），已替补` : m.recusal === "none" ? "无" : "—"}`,
    );
  h("二、初步评审（资格审查）");
  if (r.rejected.length === 0) doc.text("全部投标通过初步评审。");
  for (const x of r.rejected)
    doc.text(`${bidder(x.bidderId)}：否决。${x.failures.map((f) => `${f.criterionId}：${f.reason}`).join("；")}`);
  for (const d of r.differences)
    doc.text(
      `${bidder(d.bidderId)} ${d.criterionId}：多数意见${d.majorityPassed ? "通过" : "不通过"}，少数意见：${d.minority.map(name).join("、")}`,
    );
  h("三、串通投标认定");
  if (r.collusionFindings.length === 0) doc.text("无。");
  for (const c of r.collusionFindings) doc.text(`${c.bidderIds.map(bidder).join("、")}：${c.reason}`);
  if (r.method === "LOWEST_EVALUATED_PRICE") {
    const factor = (id: string) => r.adjustmentRules?.find((a) => a.id === id)?.factor ?? id;
    h("四、价格折算汇总（经评审的最低投标价法，评审价由平台按招标文件折算因素计算）");
    for (const a of r.adjustmentRules ?? [])
      doc.text(
        `折算因素 ${a.factor}：${a.rule}${a.minPercent !== undefined || a.maxPercent !== undefined ? `（范围 ${a.minPercent ?? "—"}% 至 ${a.maxPercent ?? "—"}% 投标报价）` : ""}`,
      );
    for (const x of r.summary.results)
      doc.text(
        `${bidder(x.bidderId)}${IDSP}报价 ${formatYuan(BigInt(x.price))} 元${IDSP}${(x.adjustments ?? [])
          .map((a) => `${a.reason} ${formatYuan(BigInt(a.amount))}`)
          .join("，")}${IDSP}评审价 ${formatYuan(BigInt(x.evaluatedPrice ?? x.price))} 元`,
      );
    doc.text("本方法不适用偏离评分规则：各折算金额按招标文件规则量化，委员会金额按汇总方法（去掉最高与最低）确定（决定 105）。");
    h("五、各评委折算表");
    for (const s of r.sheets) {
      const own = r.summary.memberPrices?.find((m) => m.memberId === s.memberUserId && m.bidderId === s.bidderId);
      doc.text(
        `${name(s.memberUserId)} → ${bidder(s.bidderId)}：${Object.entries(s.amounts ?? {})
          .map(([k, v]) => `${factor(k)} ${v}`)
          .join("，")}${own ? `${IDSP}评审价 ${formatYuan(BigInt(own.evaluatedPrice))} 元` : ""}`,
      );
    }
  } else {
    h("四、评分汇总（价格分由平台按招标文件公式计算）");
    if (r.summary.benchmark) doc.text(`评标基准价：${formatYuan(BigInt(r.summary.benchmark))} 元`);
    for (const x of r.summary.results)
      doc.text(
        `${bidder(x.bidderId)}${IDSP}报价 ${formatYuan(BigInt(x.price))} 元${IDSP}技术 ${x.technicalScore}${IDSP}商务 ${x.commercialScore}${IDSP}价格分 ${x.priceScore}（折合 ${x.pricePoints}）${IDSP}总分 ${x.total}`,
      );
    for (const o of r.summary.outliers)
      doc.text(`偏离评分：${name(o.expertId)} 对 ${bidder(o.bidderId)}（${o.part}）理由：${o.reason ?? "—"}`);
    h("五、各评委评分表");
    for (const s of r.sheets)
      doc.text(
        `${name(s.memberUserId)} → ${bidder(s.bidderId)}：${Object.entries(s.points ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join("，")}`,
      );
  }
  h("六、澄清");
  if (!r.clarifications?.length) doc.text("无。");
  for (const c of r.clarifications ?? [])
    doc.text(`${bidder(c.bidderId)}：问：${c.question}${IDSP}答：${c.answer ?? "（未在期限内答复）"}`);
  h("七、推荐中标候选人（不超过三名，排序）");
  for (const c of r.candidates) doc.text(`第${c.rank}名：${bidder(c.bidderId)}`);
  h("八、评委签署");
  for (const s of signatures) {
    doc.text(`${name(s.memberUserId)}：${STANCE[s.stance] ?? s.stance}${s.signedAt ? `（${toBeijingLocal(s.signedAt)}）` : ""}`);
    if (s.dissent) doc.text(`${IDSP}${IDSP}不同意见及理由：${s.dissent}`);
    if (s.cms) doc.text(`${IDSP}${IDSP}CMS 签名 SHA-256：${toHex(sha256(Buffer.from(s.cms, "base64")))}`);
  }
  doc
    .moveDown(0.5)
    .fontSize(8)
    .text(`评委以各自签名证书对报告数据（SHA-256 ${hash}）签名；本 PDF 由平台加盖电子签章（PAdES）并附 RFC 3161 时间戳。`);
  doc.end();
  return done;
}
