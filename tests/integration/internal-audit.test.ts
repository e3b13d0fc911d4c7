import { action, MEDIA_AUDIT_ACTIONS } from "~/routes/internal.audit.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { healthReport } from "~/platform/health.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import {
  RECORDING_ENDED,
  RECORDING_GAP,
  RECORDING_STARTED,
  roomSubject,
  SEGMENT_CLOSED,
} from "../../media-server/recording/manifest.ts";
import { ORIGIN, respond } from "../support/requests.ts";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

function post(body: unknown, secret = process.env.MEDIA_INTERNAL_SECRET) {
  const request = new Request(`${ORIGIN}/internal/audit`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(secret ? { Authorization: `Bearer ${secret}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return respond(() => action({ request, params: {}, context: {} }));
}

describe("internal audit endpoint (media server → audit chain)", () => {
  const entry = {
    eventId: `seg-${Date.now()}-0001`,
    action: SEGMENT_CLOSED,
    subject: roomSubject("room-1"),
    data: { seq: 1, sha256: "ab".repeat(32) },
  };

  it("refuses callers without the shared secret", async () => {
    expect((await post(entry, "wrong-secret-wrong-secret-wrong-secret")).status).toBe(401);
    expect((await post(entry, "")).status).toBe(401);
  });

  it("answers a malformed entry with 400", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ ...entry, action: "DROP TABLE" })).status).toBe(400);
  });

  it("accepts exactly the media server's own actions (issue 11, item 8)", () => {
    expect(Object.keys(MEDIA_AUDIT_ACTIONS).sort()).toEqual(
      [RECORDING_STARTED, SEGMENT_CLOSED, RECORDING_GAP, RECORDING_ENDED, "witness.worker.replaced"].sort(),
    );
  });

  it("refuses any other action, or a known one about the wrong subject, with 400 naming it", async () => {
    for (const forged of ["tender.bidding_closed", "bid.submitted", "audit.checkpoint", "witness.segment.deleted"]) {
      const res = await post({ ...entry, eventId: `forged-${forged}`, action: forged });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /action must be one of the media server's: witness\.recording\.started/,
      );
    }
    const wrongSubject = await post({ ...entry, eventId: "forged-subject", subject: { type: "Tender", id: "t-1" } });
    expect(wrongSubject.status).toBe(400);
    expect(((await wrongSubject.json()) as { error: string }).error).toMatch(
      /witness\.segment\.closed is about a witness-room, not a Tender/,
    );
    const rows = await db().auditEntry.count({ where: { eventId: { startsWith: "forged-" } } });
    expect(rows).toBe(0);
  });

  it("refuses a body over its cap with 413 whoever calls it", async () => {
    const res = await post({ ...entry, eventId: `big-${Date.now()}`, data: { pad: "x".repeat(300 * 1024) } });
    expect(res.status).toBe(413);
  });

  it("records an entry once even when the delivery is retried", async () => {
    const first = await post(entry);
    expect(first.status).toBe(201);
    const retry = await post(entry);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const rows = await db().$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM audit_entry WHERE data->>'eventId' = ${entry.eventId}`;
    expect(rows[0]?.n).toBe(1n);
    // The event id is indexed in its own column (no scan of the chain under its lock).
    const stored = await db().auditEntry.findUnique({ where: { eventId: entry.eventId }, select: { data: true } });
    expect((stored?.data as { eventId?: string }).eventId).toBe(entry.eventId);
  });

  it("reports database and Redis health", async () => {
    const report = await healthReport();
    expect(report.checks.database).toBe("ok");
    expect(report.checks.redis).toBe("ok");
  });
});
