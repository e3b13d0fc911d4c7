// 数字见证 on the app side: who may watch or feed a tender's evaluation room, witness tokens for
// the media server, and the internal calls that open and close rooms. The media server trusts
// these tokens only; this module is where the role check behind them happens.
import { z } from "zod";
import { signWitnessToken, witnessTokenExpiry } from "../media-server/token.ts";
import type { SessionUser } from "./auth.server.ts";
import { requireUser } from "./auth.server.ts";
import { db } from "./db.server.ts";

const WitnessEnvSchema = z.object({
  /** The media server as browsers reach it (signaling socket, playback). */
  MEDIA_PUBLIC_URL: z.string().url().default("http://127.0.0.1:3100"),
  /** The media server as this process reaches it (internal API). */
  MEDIA_INTERNAL_URL: z.string().url().default("http://127.0.0.1:3100"),
  MEDIA_INTERNAL_SECRET: z.string().min(16),
  WITNESS_TOKEN_SECRET: z.string().min(16),
});

let parsed: z.infer<typeof WitnessEnvSchema> | null = null;

function witnessEnv() {
  parsed ??= WitnessEnvSchema.parse(process.env);
  return parsed;
}

/** The evaluation room of a tender: one per tender's evaluation session. */
export function roomIdOf(tenderId: string): string {
  return `ev-${tenderId}`;
}

type WitnessTender = { id: string; title: string; agentOrgId: string | null; tendererOrgId: string };

async function findTender(tenderId: string): Promise<WitnessTender> {
  const valid = z.string().uuid().safeParse(tenderId);
  const tender = valid.success
    ? await db().tender.findUnique({ where: { id: valid.data }, select: { id: true, title: true, agentOrgId: true, tendererOrgId: true } })
    : null;
  if (!tender) throw new Response("Not Found", { status: 404 });
  return tender;
}

/** Supervisors (监督人员) watch; nobody else. */
export async function requireSupervisor(request: Request, tenderIds: string[]) {
  const user = await requireUser(request, ["SUPERVISOR"]);
  const tenders = await Promise.all(tenderIds.map(findTender));
  return { user, tenders };
}

/** The agent of the tender (or the tenderer's staff) sets up the room's cameras. */
export async function requireRoomDeviceAgent(request: Request, tenderId: string) {
  const user = await requireUser(request, ["AGENT"]);
  const tender = await findTender(tenderId);
  const own = user.organizationId !== null && [tender.agentOrgId, tender.tendererOrgId].includes(user.organizationId);
  if (!own) throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  return { user, tender };
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
  const env = witnessEnv();
  return fetch(new URL(path, env.MEDIA_INTERNAL_URL), {
    method,
    headers: { authorization: `Bearer ${env.MEDIA_INTERNAL_SECRET}`, "content-type": "application/json" },
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
