// 数字见证 on the app side: who may watch or feed a tender's evaluation room, witness tokens for
// the media server, and the internal calls that open and close rooms. The media server trusts
// these tokens only; this module is where the role check behind them happens.
import { z } from "zod";
import { SEGMENT_CLOSED, roomSubject } from "../../../media-server/recording/manifest.ts";
import { signWitnessToken, witnessTokenExpiry } from "../../../media-server/token.ts";
import type { SessionUser } from "../../platform/auth/auth.server.ts";
import { requireUser } from "../../platform/auth/auth.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { prepareTenderEscrow } from "../escrow/index.ts";
import { OPEN_STATUSES, WITNESS_ROOM_STATUSES } from "../tenders/index.ts";
import * as clock from "../../platform/clock.server.ts";
import { refuse, type Refusal, type Refused } from "../../platform/refusal.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

/**
 * The witness settings, from the app's one env schema (platform/env.server.ts, parsed at start).
 * The two secrets are optional there (the app runs without the media server); using witnessing
 * without them stops with the variable's name.
 */
function witnessEnv(): {
  MEDIA_PUBLIC_URL: string;
  MEDIA_INTERNAL_URL: string;
  MEDIA_INTERNAL_SECRET: string;
  WITNESS_TOKEN_SECRET: string;
} {
  const e = env();
  for (const name of ["MEDIA_INTERNAL_SECRET", "WITNESS_TOKEN_SECRET"] as const) {
    if (!e[name]) throw new Error(`Invalid environment (see .env.example):\n  ${name}: required for 数字见证`);
  }
  return {
    MEDIA_PUBLIC_URL: e.MEDIA_PUBLIC_URL,
    MEDIA_INTERNAL_URL: e.MEDIA_INTERNAL_URL,
    MEDIA_INTERNAL_SECRET: e.MEDIA_INTERNAL_SECRET!,
    WITNESS_TOKEN_SECRET: e.WITNESS_TOKEN_SECRET!,
  };
}

/** The evaluation room of a tender: one per tender's evaluation session. */
export function roomIdOf(tenderId: string): string {
  return `ev-${tenderId}`;
}

type WitnessTender = {
  id: string;
  title: string;
  code: string;
  status: string;
  agentOrgId: string | null;
  tendererOrgId: string;
  witnessOpenedAt: Date | null;
  witnessClosedAt: Date | null;
};

const TENDER_FIELDS = {
  id: true,
  title: true,
  code: true,
  status: true,
  agentOrgId: true,
  tendererOrgId: true,
  witnessOpenedAt: true,
  witnessClosedAt: true,
} as const;

async function findTender(tenderId: string): Promise<WitnessTender> {
  const valid = z.string().uuid().safeParse(tenderId);
  const tender = valid.success ? await db().tender.findUnique({ where: { id: valid.data }, select: TENDER_FIELDS }) : null;
  if (!tender) throw new Response("Not Found", { status: 404 });
  return tender;
}

export type WitnessState = "notOpened" | "open" | "ended";

export function witnessState(tender: Pick<WitnessTender, "witnessOpenedAt" | "witnessClosedAt">): WitnessState {
  if (tender.witnessClosedAt) return "ended";
  return tender.witnessOpenedAt ? "open" : "notOpened";
}

/**
 * Supervisors (监督人员) watch, and only those the trading centre assigned to every tender asked
 * for; anyone else gets 403, without learning whether the tender has a room.
 */
export async function requireSupervisor(request: Request, tenderIds: string[]) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  const tenders = await Promise.all(tenderIds.map(findTender));
  const assigned = await db().tenderSupervisor.count({ where: { userId: user.id, tenderId: { in: tenders.map((t) => t.id) } } });
  if (assigned !== new Set(tenders.map((t) => t.id)).size)
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  return { user, tenders };
}

/** The tenders a supervisor is assigned to, newest first, with their room's state. */
export async function supervisedTenders(userId: string) {
  const rows = await db().tenderSupervisor.findMany({
    where: { userId },
    orderBy: { assignedAt: "desc" },
    select: { tender: { select: TENDER_FIELDS } },
  });
  return rows.map((r) => ({ id: r.tender.id, code: r.tender.code, title: r.tender.title, state: witnessState(r.tender) }));
}

/**
 * The evaluation room belongs to the trading centre (decision 037, revised): its devices are run
 * by the centre's staff (ADMIN) or by a room device account (ROOM_DEVICE), never by the agent or
 * the tenderer, whose evaluation is being supervised.
 */
export const ROOM_DEVICE_ROLES = ["ADMIN", "ROOM_DEVICE"] as const;

export async function requireRoomDevice(request: Request, tenderId: string) {
  const user = await requireUser(request, ROOM_DEVICE_ROLES);
  const tender = await findTender(tenderId);
  return { user, tender };
}

/** The centre's devices page: every tender that may have a room, open rooms first. */
export async function roomDeviceTenders(request: Request) {
  await requireUser(request, ROOM_DEVICE_ROLES);
  const rows = await db().tender.findMany({
    where: { status: { in: [...WITNESS_ROOM_STATUSES] }, witnessClosedAt: null },
    orderBy: [{ witnessOpenedAt: { sort: "desc", nulls: "last" } }, { bidDeadline: "asc" }],
    take: 100,
    select: TENDER_FIELDS,
  });
  return rows.map((t) => ({ id: t.id, code: t.code, title: t.title, state: witnessState(t) }));
}

/**
 * Why the room cannot start or end (decision 062): `witness.errors.<reason>`, whose last part the
 * callers receive; `witnessReason` gives its last part.
 */
export type WitnessRoomReason = "NOT_PUBLISHED" | "ALREADY_ENDED" | "NOT_OPEN" | "MEDIA_UNREACHABLE" | "NOT_SUPERVISOR";
const roomRefusal = (reason: WitnessRoomReason): Refused =>
  refuse(`witness.errors.${reason}`, reason === "MEDIA_UNREACHABLE" ? 503 : reason === "NOT_SUPERVISOR" ? 400 : 409);

/** The reason of a witness refusal (the key's last part). */
export function witnessReason(refusal: Refusal): string {
  return refusal.code.slice(refusal.code.lastIndexOf(".") + 1);
}

/**
 * Starts the tender's witnessing: the media server opens the room (its recorders start with the
 * first camera) and the start is recorded. Once per tender: an ended room stays ended so its
 * recording is never mixed with a later one. The evaluation session calls this when it opens
 * (`actorId`: who opened the session; null when the platform does it on schedule); nobody
 * else starts a room.
 */
export async function openEvaluationWitness(tenderId: string, actorId: string | null = null): Promise<{ ok: true } | Refused> {
  const tender = await findTender(tenderId);
  // A room can be set up once the tender is public and until it is decided (bidding-core).
  if (!(WITNESS_ROOM_STATUSES as readonly string[]).includes(tender.status)) return roomRefusal("NOT_PUBLISHED");
  if (tender.witnessClosedAt) return roomRefusal("ALREADY_ENDED");
  try {
    await openWitnessRoom(tender.id, tender.title);
  } catch {
    return roomRefusal("MEDIA_UNREACHABLE");
  }
  if (!tender.witnessOpenedAt) {
    await db().$transaction(async (tx) => {
      const updated = await tx.tender.updateMany({
        where: { id: tender.id, witnessOpenedAt: null },
        data: { witnessOpenedAt: clock.now() },
      });
      if (updated.count === 1) {
        await appendAudit(
          {
            actorId,
            action: "witness.room.opened",
            subjectType: AUDIT_SUBJECT.Tender,
            subjectId: tender.id,
            data: { roomId: roomIdOf(tender.id) },
          },
          tx,
        );
      }
    });
  }
  return { ok: true };
}

/**
 * Ends the witnessing: recorders close their last segment and the room is gone for good. The
 * evaluation session calls this when the report is signed; nobody else ends a room.
 */
export async function closeEvaluationWitness(tenderId: string, actorId: string | null = null): Promise<{ ok: true } | Refused> {
  const tender = await findTender(tenderId);
  if (tender.witnessClosedAt) return roomRefusal("ALREADY_ENDED");
  if (!tender.witnessOpenedAt) return roomRefusal("NOT_OPEN");
  try {
    await closeWitnessRoom(tender.id);
  } catch {
    return roomRefusal("MEDIA_UNREACHABLE");
  }
  await db().$transaction(async (tx) => {
    const updated = await tx.tender.updateMany({
      where: { id: tender.id, witnessClosedAt: null },
      data: { witnessClosedAt: clock.now() },
    });
    if (updated.count === 1) {
      await appendAudit(
        {
          actorId,
          action: "witness.room.closed",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tender.id,
          data: { roomId: roomIdOf(tender.id) },
        },
        tx,
      );
    }
  });
  return { ok: true };
}

/** The trading centre (ADMIN) assigns or removes a tender's supervisors; both are audited. */
export async function assignSupervisor(actorId: string, tenderId: string, userId: string): Promise<{ ok: true } | Refused> {
  const tender = await findTender(tenderId);
  if (!z.string().uuid().safeParse(userId).success) return roomRefusal("NOT_SUPERVISOR");
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, role: true, disabledAt: true } });
  if (!user || user.role !== "SUPERVISOR" || user.disabledAt) return roomRefusal("NOT_SUPERVISOR");
  await db().$transaction(async (tx) => {
    const existing = await tx.tenderSupervisor.findUnique({
      where: { tenderId_userId: { tenderId: tender.id, userId: user.id } },
    });
    if (existing) return;
    await tx.tenderSupervisor.create({ data: { tenderId: tender.id, userId: user.id, assignedById: actorId } });
    await appendAudit(
      {
        actorId,
        action: "witness.supervisor.assigned",
        subjectType: AUDIT_SUBJECT.Tender,
        subjectId: tender.id,
        data: { supervisorId: user.id },
      },
      tx,
    );
  });
  // The custodians are set: while bidding is open the escrow key can be made now, before any
  // bidder needs it.
  if ((OPEN_STATUSES as readonly string[]).includes(tender.status)) await prepareTenderEscrow(tender.id);
  return { ok: true };
}

export async function removeSupervisor(actorId: string, tenderId: string, userId: string): Promise<void> {
  const tender = await findTender(tenderId);
  if (!z.string().uuid().safeParse(userId).success) return;
  await db().$transaction(async (tx) => {
    const removed = await tx.tenderSupervisor.deleteMany({ where: { tenderId: tender.id, userId } });
    if (removed.count > 0) {
      await appendAudit(
        {
          actorId,
          action: "witness.supervisor.removed",
          subjectType: AUDIT_SUBJECT.Tender,
          subjectId: tender.id,
          data: { supervisorId: userId },
        },
        tx,
      );
    }
  });
}

export function witnessToken(user: SessionUser, role: "device" | "supervisor", tenderIds: string[]): string {
  return signWitnessToken(
    { sub: user.id, name: user.name, role, roomIds: tenderIds.map(roomIdOf), exp: witnessTokenExpiry() },
    witnessEnv().WITNESS_TOKEN_SECRET,
  );
}

export function mediaPublicUrl(): string {
  return witnessEnv().MEDIA_PUBLIC_URL;
}

async function internalCall(method: string, path: string, body?: unknown): Promise<Response> {
  const settings = witnessEnv();
  return fetch(new URL(path, settings.MEDIA_INTERNAL_URL), {
    method,
    headers: { authorization: `Bearer ${settings.MEDIA_INTERNAL_SECRET}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** Opens (idempotently) the tender's evaluation room: call when the evaluation session starts. */
export async function openWitnessRoom(tenderId: string, title: string): Promise<void> {
  const res = await internalCall("POST", "/internal/rooms", { roomId: roomIdOf(tenderId), title });
  if (!res.ok) throw new Error(`media server refused to open the room: ${res.status}`);
}

/** Closes the room when the session ends; recorders finish their last segment first. */
export async function closeWitnessRoom(tenderId: string): Promise<void> {
  const res = await internalCall("DELETE", `/internal/rooms/${roomIdOf(tenderId)}`);
  if (!res.ok && res.status !== 404) throw new Error(`media server refused to close the room: ${res.status}`);
}

export interface RecordingSummary {
  kind: "none" | "verified" | "altered" | "failed";
  status?: number;
  problems?: string[];
  gaps?: number;
  sources: { source: string; seconds: number; src: string }[];
}

/**
 * What a supervisor may play back of a tender's room: the media server verifies every segment
 * against the hashes in *this* platform's audit log (not only its own manifest), and a source is
 * offered only if nothing failed.
 */
export async function recordingSummary(user: SessionUser, tenderId: string): Promise<RecordingSummary> {
  const roomId = roomIdOf(tenderId);
  // The media server audits each closed segment under its room's subject ("type:id").
  const subject = roomSubject(roomId);
  const split = subject.indexOf(":");
  const entries = await db().auditEntry.findMany({
    where: { action: SEGMENT_CLOSED, subjectType: subject.slice(0, split), subjectId: subject.slice(split + 1) },
    orderBy: { seq: "asc" },
    select: { action: true, subjectType: true, subjectId: true, data: true },
  });
  const auditEntries = entries.map((e) => ({
    action: e.action,
    subject: `${e.subjectType}:${e.subjectId ?? ""}`,
    data: (e.data ?? {}) as Record<string, unknown>,
  }));
  let res: Response;
  try {
    res = await internalCall("POST", `/internal/rooms/${roomId}/verify`, { auditEntries });
  } catch {
    return { kind: "failed", status: 503, sources: [] };
  }
  if (res.status === 404) return { kind: "none", sources: [] };
  if (!res.ok) return { kind: "failed", status: res.status, sources: [] };
  const report = (await res.json()) as {
    ok: boolean;
    problems: { track: string; seq: number; problem: string }[];
    gaps: unknown[];
  };
  if (!report.ok) {
    return {
      kind: "altered",
      problems: report.problems.map((p) => `${p.track} #${p.seq} ${p.problem}`),
      gaps: report.gaps.length,
      sources: [],
    };
  }
  const token = witnessToken(user, "supervisor", [tenderId]);
  const listed = await fetch(
    new URL(`/playback/${roomId}/sources?token=${encodeURIComponent(token)}`, witnessEnv().MEDIA_INTERNAL_URL),
    { signal: AbortSignal.timeout(30_000) },
  );
  if (!listed.ok) return { kind: listed.status === 404 ? "none" : "failed", status: listed.status, sources: [] };
  const body = (await listed.json()) as { sources: { source: string; seconds: number }[]; gaps: unknown[] };
  const base = witnessEnv().MEDIA_PUBLIC_URL;
  return {
    kind: "verified",
    gaps: body.gaps.length,
    sources: body.sources.map((s) => ({
      source: s.source,
      seconds: Math.round(s.seconds),
      src: new URL(
        `/playback/${roomId}/${encodeURIComponent(s.source)}.webm?token=${encodeURIComponent(token)}`,
        base,
      ).toString(),
    })),
  };
}
