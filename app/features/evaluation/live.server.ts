// The evaluation room, live (issue 15 item 9, decision 107). Every audited room event is
// announced by the database once its transaction commits (the trigger of migration
// 20261206226000_evaluation_live_notify: NOTIFY mingbiao_evaluation with the tender, the action and
// the entry's seq). Each app process LISTENs here and tells the room's own people, over socket.io
// `/notify` (platform/realtime), that the room changed: an `evaluation` event carrying the tender
// and the actions, never a score, a sheet or a name. Their pages re-read their loader, which
// decides what each role sees. Who is told is decided at every signal, so a member replaced a
// moment ago, a bidder, the public or an expert not on the committee is told nothing.
import pg from "pg";
import { pgConnectionConfig } from "../../platform/db-url.ts";
import { db } from "../../platform/db.server.ts";
import { env } from "../../platform/env.server.ts";
import { notifyUser } from "../../platform/realtime.server.ts";
import { loadCommittee } from "../experts/index.ts";

/** The database channel the audit trigger announces on. */
export const ROOM_CHANNEL = "mingbiao_evaluation";
/** The socket.io event a room page listens to. */
export const ROOM_EVENT = "evaluation";
/** Signals of one tender that arrive this close together go out as one. */
const BATCH_MS = 100;
/** The listener's own connection, named so an operator (and the tests) can tell it apart. */
export const LISTENER_APPLICATION_NAME = "mingbiao-evaluation-live";

export interface RoomSignal {
  tenderId: string;
  /** The audited actions (`evaluation.*`, `experts.seat_*`) since the last signal; `evaluation.resync` after the listener reconnected. */
  actions: string[];
}

/**
 * The people a room's signal goes to, asked afresh each time: the committee's active members
 * (a member who recused or was replaced is no longer one), the assigned supervisors and, once
 * the report is issued and only for that, the tender's agent (roomAccess's rule).
 */
export async function roomRecipients(tenderId: string, actions: readonly string[]): Promise<string[]> {
  const committee = await loadCommittee(tenderId);
  if (!committee) return [];
  const supervisors = await db().tenderSupervisor.findMany({ where: { tenderId }, select: { userId: true } });
  const ids = [...committee.members.map((m) => m.userId), ...supervisors.map((s) => s.userId)];
  if (actions.includes("evaluation.report_issued")) {
    const tender = await db().tender.findUnique({ where: { id: tenderId }, select: { createdById: true, agentOrgId: true } });
    if (tender) {
      ids.push(tender.createdById);
      if (tender.agentOrgId) {
        const agents = await db().user.findMany({
          where: { organizationId: tender.agentOrgId, role: "AGENT", disabledAt: null },
          select: { id: true },
        });
        ids.push(...agents.map((a) => a.id));
      }
    }
  }
  return [...new Set(ids)];
}

const pending = new Map<string, Set<string>>();
let flushTimer: NodeJS.Timeout | undefined;

/** Queues a signal for the tender; signals within BATCH_MS of each other go out together. */
export function signalRoom(tenderId: string, action: string): void {
  if (!/^[0-9a-f-]{36}$/i.test(tenderId)) return;
  const actions = pending.get(tenderId) ?? new Set<string>();
  actions.add(action);
  pending.set(tenderId, actions);
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    void flush();
  }, BATCH_MS);
}

async function flush(): Promise<void> {
  const batch = [...pending.entries()];
  pending.clear();
  for (const [tenderId, set] of batch) {
    const signal: RoomSignal = { tenderId, actions: [...set] };
    try {
      for (const userId of await roomRecipients(tenderId, signal.actions)) notifyUser(userId, ROOM_EVENT, { ...signal });
    } catch (error) {
      // The pages fall back to their slow re-read; nothing is lost, the audit log holds the event.
      console.error("evaluation live: signal not sent:", (error as Error).message);
    }
  }
}

function receive(payload: string | undefined): void {
  if (!payload) return;
  try {
    const p = JSON.parse(payload) as { tenderId?: unknown; action?: unknown };
    if (typeof p.tenderId === "string" && typeof p.action === "string") signalRoom(p.tenderId, p.action);
  } catch {
    // Not ours (the channel is this trigger's only); ignored.
  }
}

/** After the listener was away, every room still in progress is told to re-read: it may have missed signals. */
async function resyncOpenRooms(): Promise<void> {
  const open = await db().evaluationSession.findMany({ where: { reportSignedAt: null }, select: { tenderId: true } });
  for (const s of open) signalRoom(s.tenderId, "evaluation.resync");
}

let listener: pg.Client | undefined;
let stopped = true;
let retryMs = 1_000;
let retryTimer: NodeJS.Timeout | undefined;
let everConnected = false;

async function connect(): Promise<void> {
  const client = new pg.Client({
    ...pgConnectionConfig(env().DATABASE_URL),
    application_name: LISTENER_APPLICATION_NAME,
    // A database that does not answer must not hold up the server's start: give up and retry.
    connectionTimeoutMillis: 5_000,
  });
  let gone = false;
  const lost = (why: string) => {
    if (gone) return;
    gone = true;
    if (listener === client) listener = undefined;
    client.removeAllListeners("notification");
    void client.end().catch(() => undefined);
    if (stopped) return;
    console.error(`evaluation live: database listener lost (${why}); retrying in ${retryMs} ms`);
    scheduleConnect();
  };
  // Without an 'error' listener a dropped connection would end the process.
  client.on("error", (error) => lost(error.message));
  client.on("end", () => lost("connection ended"));
  client.on("notification", (message) => {
    if (message.channel === ROOM_CHANNEL) receive(message.payload);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${ROOM_CHANNEL}`);
  } catch (error) {
    lost((error as Error).message);
    return;
  }
  if (stopped) {
    gone = true;
    await client.end().catch(() => undefined);
    return;
  }
  listener = client;
  retryMs = 1_000;
  if (everConnected) await resyncOpenRooms().catch((error: unknown) => console.error("evaluation live: resync failed:", error));
  everConnected = true;
}

function scheduleConnect(): void {
  if (retryTimer || stopped) return;
  const wait = retryMs;
  retryMs = Math.min(retryMs * 2, 30_000);
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void connect();
  }, wait);
}

/** Starts this process's listener (services.server.ts); it reconnects by itself with backoff (1 s → 30 s). */
export async function startRoomLive(): Promise<void> {
  if (!stopped) return;
  stopped = false;
  everConnected = false;
  await connect();
}

export async function stopRoomLive(): Promise<void> {
  stopped = true;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = undefined;
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  pending.clear();
  const client = listener;
  listener = undefined;
  if (client) {
    client.removeAllListeners();
    client.on("error", () => undefined);
    await client.end().catch(() => undefined);
  }
}

/** True while the listener holds its connection (health and tests). */
export function roomLiveListening(): boolean {
  return listener !== undefined;
}
