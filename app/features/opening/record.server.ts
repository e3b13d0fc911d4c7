import {
  buildOpeningRecord,
  canonicalJson,
  decryptionOutcome,
  type DecryptionAttempt,
  findCollusionIndicators,
  parseYuan,
  type SubmissionMetadata,
} from "../../../bidding-core/index.ts";
import { issueTimestamp, sha256, signCms, timestampRequestFor, toBase64, utf8 } from "../../../crypto/index.node.ts";
import type { OpeningBidStatus } from "../../generated/prisma/enums.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";
import { now } from "../../platform/clock.server.ts";
import { db } from "../../platform/db.server.ts";
import { putBuffer } from "../../platform/storage.server.ts";
import { outagesOverlapping } from "../outages/index.ts";
import { platformPki } from "../pki/index.ts";
import { signedRecordPdf } from "./record-pdf.server.ts";
import type { HallRecord } from "./record-types.ts";

export type { HallRecord } from "./record-types.ts";

const BEIJING_MS = 8 * 3600_000;

export function beijing(at: Date): string {
  return `${new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 19).replace("T", " ")}（北京时间）`;
}

const OUTCOME_LABELS: Record<string, string> = {
  opened: "已解密",
  revoked: "解密失败（投标人原因），视为撤销投标文件",
  withdrawn: "解密失败（非投标人原因），视为撤回投标文件，投标人可要求赔偿直接损失",
  sealed: "未开启（流标）",
};

const REMARKS: Record<string, string> = {
  absent: "投标人未签到",
  "wrong-key": "投标人提交的密钥不能解密",
  "not-decrypted": "投标人未在解密时限内解密",
  "platform-failure": "平台原因未能解密（《电子招标投标办法》第三十一条）",
  "platform-outage":
    "解密时限内平台发生故障（见“平台故障”），未能解密，视为撤回投标文件，投标人可要求赔偿直接损失（《电子招标投标办法》第三十一条）",
  remedy: "投标人未能解密，经招标文件规定的托管密钥补救程序开启（《电子招标投标办法》第三十一条）",
};

function attemptOf(status: OpeningBidStatus, detail: string | null): DecryptionAttempt | null {
  if (status === "OPENED") return detail === "remedy" ? { kind: "recovered-by-remedy", remedy: "escrow" } : { kind: "decrypted" };
  if (status === "REVOKED") return { kind: "failed", causedBy: "bidder", detail: detail ?? "" };
  if (status === "WITHDRAWN") return { kind: "failed", causedBy: "other", detail: detail ?? "" };
  return null;
}

interface ReadOutItemConfig {
  key: string;
  label: string;
}

function readOutItems(json: unknown): ReadOutItemConfig[] {
  return Array.isArray(json)
    ? json.flatMap((i: unknown) =>
        i && typeof i === "object" && "key" in i && "label" in i ? [{ key: String(i.key), label: String(i.label) }] : [],
      )
    : [];
}

async function loadRecordData(sessionId: string) {
  return db().openingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true,
      step: true,
      startedAt: true,
      windowOpenedAt: true,
      windowEndsAt: true,
      readOutAt: true,
      hostId: true,
      tender: {
        select: {
          id: true,
          code: true,
          title: true,
          readOutItems: true,
          procedureType: true,
          mandatory: true,
          tendererOrg: { select: { name: true } },
          agentOrg: { select: { name: true } },
          supervisors: { select: { user: { select: { name: true } } } },
        },
      },
      bids: {
        orderBy: { seq: "asc" },
        select: {
          id: true,
          seq: true,
          organizationId: true,
          bidVersionId: true,
          status: true,
          outcomeDetail: true,
          readOut: true,
          confirmedAt: true,
        },
      },
      objections: {
        orderBy: { raisedAt: "asc" },
        select: { raisedByName: true, raisedAt: true, content: true, answer: true, answeredAt: true },
      },
    },
  });
}

/** Builds the record from the stored session (deterministic for a given session state). */
export async function buildHallRecord(sessionId: string): Promise<{ record: HallRecord; collusion: unknown }> {
  const s = await loadRecordData(sessionId);
  const items = readOutItems(s.tender.readOutItems);
  const orgs = await db().organization.findMany({
    where: { id: { in: s.bids.map((b) => b.organizationId) } },
    select: { id: true, name: true },
  });
  const versions = await db().bidVersion.findMany({
    where: { id: { in: s.bids.map((b) => b.bidVersionId) } },
    select: { id: true, number: true, receivedAt: true, ip: true, deviceFingerprint: true, documentMeta: true },
  });
  const host = s.hostId ? await db().user.findUnique({ where: { id: s.hostId }, select: { name: true } }) : null;
  const nameOf = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
  const versionOf = (id: string) => versions.find((v) => v.id === id);
  const failed = s.step === "FAILED";
  const openedAt = s.windowOpenedAt ?? s.startedAt;
  const bids = s.bids.map((b) => {
    const v = versionOf(b.bidVersionId);
    const attempt = attemptOf(b.status, b.outcomeDetail);
    const outcome = attempt ? decryptionOutcome(attempt).status : "sealed";
    const readOut = (b.readOut ?? {}) as Record<string, string>;
    return {
      seq: b.seq,
      bidderName: nameOf(b.organizationId),
      version: v?.number ?? 0,
      receivedAt: v?.receivedAt.toISOString() ?? "",
      receivedAtBeijing: v ? beijing(v.receivedAt) : "",
      outcome,
      outcomeLabel: OUTCOME_LABELS[outcome] ?? outcome,
      items: b.status === "OPENED" ? items.map((i) => ({ key: i.key, label: i.label, value: readOut[i.key] ?? "" })) : [],
      remarks: b.outcomeDetail
        ? (REMARKS[b.outcomeDetail] ?? b.outcomeDetail)
        : b.status === "OPENED" && !b.confirmedAt
          ? "投标人未确认唱标结果"
          : "",
      confirmed: b.confirmedAt !== null,
    };
  });
  const objections = s.objections.map((o) => ({
    raisedBy: o.raisedByName,
    raisedAt: o.raisedAt.toISOString(),
    raisedAtBeijing: beijing(o.raisedAt),
    content: o.content,
    answer: o.answer ?? "",
    answeredAt: o.answeredAt?.toISOString() ?? "",
    answeredAtBeijing: o.answeredAt ? beijing(o.answeredAt) : "",
  }));
  const core = failed ? null : coreRecord(s, items, nameOf, versionOf);
  // E-Measures Art 31: the platform's outages during the decryption window, for the remarks.
  const windowEnd = s.windowEndsAt && s.readOutAt && s.readOutAt < s.windowEndsAt ? s.readOutAt : s.windowEndsAt;
  const outages = s.windowOpenedAt && windowEnd ? await outagesOverlapping({ from: s.windowOpenedAt, to: windowEnd }) : [];
  const record: HallRecord = {
    format: "MINGBIAO-OPENING-RECORD",
    version: 1,
    platform: "明标电子招标投标平台",
    tender: {
      id: s.tender.id,
      code: s.tender.code,
      title: s.tender.title,
      tenderer: s.tender.tendererOrg.name,
      agent: s.tender.agentOrg?.name ?? null,
    },
    place: "网上开标",
    openedAt: openedAt.toISOString(),
    openedAtBeijing: beijing(openedAt),
    outcome: failed ? "failed" : "opened",
    ...(failed
      ? { failure: { reason: "too-few-bids" as const, bidCount: s.bids.length, required: 3, article: "Regs Art 44" as const } }
      : {}),
    bids,
    ...(outages.length > 0
      ? {
          outages: outages.map((o) => ({
            source: o.source === "HEARTBEAT" ? ("heartbeat" as const) : ("incident" as const),
            from: o.from,
            to: o.to,
            fromBeijing: beijing(new Date(o.from)),
            toBeijing: beijing(new Date(o.to)),
            description: o.description || "平台心跳中断（平台自动记录）",
          })),
        }
      : {}),
    objections,
    host: host?.name ?? null,
    supervisors: s.tender.supervisors.map((x) => x.user.name),
    core,
  };
  return { record, collusion: failed ? [] : collusionOf(s.bids, versions) };
}

function coreRecord(
  s: Awaited<ReturnType<typeof loadRecordData>>,
  items: ReadOutItemConfig[],
  nameOf: (id: string) => string,
  versionOf: (id: string) => { receivedAt: Date } | undefined,
): unknown {
  const bids = s.bids.flatMap((b) => {
    const attempt = attemptOf(b.status, b.outcomeDetail);
    if (!attempt) return [];
    const readOut = (b.readOut ?? {}) as Record<string, string>;
    const price = parseYuan(readOut.price ?? "");
    return [
      {
        bidderId: b.organizationId,
        bidderName: nameOf(b.organizationId),
        receivedAt: versionOf(b.bidVersionId)?.receivedAt ?? s.startedAt,
        attempt,
        ...(price.ok ? { price: price.value } : {}),
        items: readOut,
      },
    ];
  });
  const built = buildOpeningRecord({
    tenderId: s.tender.id,
    tenderName: s.tender.title,
    openedAt: s.windowOpenedAt ?? s.startedAt,
    readOutItems: items.filter((i) => i.key !== "price"),
    bids,
    objections: s.objections
      .filter((o) => o.answeredAt)
      .map((o) => ({
        raisedBy: o.raisedByName,
        raisedAt: o.raisedAt,
        content: o.content,
        answer: o.answer ?? "",
        answeredAt: o.answeredAt as Date,
      })),
  });
  return built.ok ? built.value : { error: built.error.code };
}

/** Regs Art 40 indicators over the opened bids: kept for the committee, never shown to bidders or the public. */
function collusionOf(
  bids: { organizationId: string; bidVersionId: string; status: OpeningBidStatus; readOut: unknown }[],
  versions: { id: string; ip: string | null; deviceFingerprint: string | null; documentMeta: unknown }[],
): unknown {
  const meta: SubmissionMetadata[] = bids
    .filter((b) => b.status === "OPENED")
    .map((b) => {
      const v = versions.find((x) => x.id === b.bidVersionId);
      const readOut = (b.readOut ?? {}) as Record<string, string>;
      const price = parseYuan(readOut.price ?? "");
      const docMeta =
        v?.documentMeta && typeof v.documentMeta === "object"
          ? Object.values(v.documentMeta as Record<string, unknown>).map(String)
          : [];
      return {
        bidderId: b.organizationId,
        deviceFingerprints: v?.deviceFingerprint ? [v.deviceFingerprint] : [],
        uploaderIps: v?.ip ? [v.ip] : [],
        documentAuthorIds: docMeta,
        pricingSoftwareLicences: [],
        securityAccounts: [],
        price: price.ok ? price.value : 0n,
        itemPrices: {},
      };
    });
  return JSON.parse(
    JSON.stringify(findCollusionIndicators(meta), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as unknown;
}

/** The exact bytes that are signed and timestamped. */
export function recordBytes(record: HallRecord): Uint8Array {
  return utf8(canonicalJson(record));
}

/**
 * Generates the record, signs its canonical JSON (platform CMS + RFC 3161 token over its
 * SHA-256), renders and PAdES-signs the PDF, stores it by content hash, and publishes both.
 */
export async function publishRecord(sessionId: string): Promise<void> {
  const { record, collusion } = await buildHallRecord(sessionId);
  const at = now();
  const pki = await platformPki();
  const bytes = recordBytes(record);
  const signature = signCms({ content: bytes, signer: pki.signer, signingTime: at, detached: true });
  const stamp = issueTimestamp({ signer: pki.tsa }, timestampRequestFor(sha256(bytes)), at);
  const pdf = await signedRecordPdf(record, pki.signer, pki.tsa, at);
  const pdfSha256 = await putBuffer(pdf);
  const pdfStamp = issueTimestamp({ signer: pki.tsa }, timestampRequestFor(sha256(pdf)), at);
  await db().$transaction(async (tx) => {
    await tx.openingSession.update({
      where: { id: sessionId },
      data: {
        record: JSON.parse(canonicalJson(record)) as object,
        recordSignature: toBase64(signature),
        recordTimestamp: Buffer.from(stamp.token),
        pdfSha256,
        pdfTimestamp: Buffer.from(pdfStamp.token),
        collusion: collusion as object,
      },
    });
    await appendAudit(
      {
        action: "opening.record_published",
        subjectType: AUDIT_SUBJECT.OpeningSession,
        subjectId: sessionId,
        data: {
          tenderId: record.tender.id,
          recordSha256: Buffer.from(sha256(bytes)).toString("hex"),
          pdfSha256,
          outcome: record.outcome,
        },
      },
      tx,
    );
  });
}
