// The evidence timeline's data: every audit entry of a tender within its recording's span, from
// any subject (the tender itself, or an entry whose data names the tender), placed by the
// segments recorded in this platform's audit log. (Clicking and seeking: tests/e2e/witness.spec.ts.)
import { randomBytes } from "node:crypto";
import { SEGMENT_CLOSED, roomSubject } from "../../media-server/recording/manifest.ts";
import { evidenceTimeline } from "~/features/witness/index.ts";
import { videoPosition } from "~/features/witness/timeline.ts";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { makeActor, makeOrg } from "../fixtures/publication.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

async function makeTender(createdById: string): Promise<string> {
  const tenderer = await makeOrg("TENDERER");
  const t = await db().tender.create({
    data: {
      code: `EV-${randomBytes(4).toString("hex")}`,
      title: "时间轴测试",
      procedureType: "WORKS",
      status: "PUBLISHED",
      estimatedPriceCents: 1_000_00n,
      tendererOrgId: tenderer.id,
      createdById,
    },
    select: { id: true },
  });
  return t.id;
}

const segment = (tenderId: string, track: string, seq: number, startedAt: Date, endedAt: Date) =>
  appendAudit({
    action: SEGMENT_CLOSED,
    subjectType: roomSubject(`ev-${tenderId}`).split(":")[0]!,
    subjectId: `ev-${tenderId}`,
    data: {
      roomId: `ev-${tenderId}`,
      track,
      seq,
      key: `k${seq}`,
      sha256: "0".repeat(64),
      bytes: 1,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      producerId: "p",
    },
  });

describe("evidence timeline (证据时间轴)", () => {
  it("holds the tender's entries from any subject within the recording, with their actors, and nothing else", async () => {
    const agent = await makeActor("AGENT", "AGENT");
    const tenderId = await makeTender(agent.userId);
    const other = await makeTender(agent.userId);
    const t0 = Date.now();
    // Two video segments with a 10 s gap, and the audio of the same camera.
    await segment(tenderId, "camera-1-video", 1, new Date(t0 - 40_000), new Date(t0 - 30_000));
    await segment(tenderId, "camera-1-video", 2, new Date(t0 - 20_000), new Date(t0 + 1_500));
    await segment(tenderId, "camera-1-audio", 1, new Date(t0 - 40_000), new Date(t0 + 1_500));

    await appendAudit({
      actorId: agent.userId,
      action: "tender.document_viewed",
      subjectType: "Tender",
      subjectId: tenderId,
      data: {},
    });
    // A later evaluation event: its own subject, the tender named in its data.
    await appendAudit({
      actorId: agent.userId,
      action: "evaluation.sheet.submitted",
      subjectType: "evaluation-session",
      subjectId: "s-1",
      data: { tenderId },
    });
    await appendAudit({
      actorId: agent.userId,
      action: "tender.document_viewed",
      subjectType: "Tender",
      subjectId: other,
      data: {},
    });
    await new Promise((r) => setTimeout(r, 1_700));
    await appendAudit({
      actorId: agent.userId,
      action: "tender.clarified",
      subjectType: "Tender",
      subjectId: tenderId,
      data: {},
    });

    const timeline = await evidenceTimeline(tenderId);
    expect(Object.keys(timeline.sources)).toEqual(["camera-1"]);
    // Playback follows the video track: 10 s + 21.5 s.
    expect(timeline.sources["camera-1"]).toHaveLength(2);
    expect(timeline.entries.map((e) => [e.action, e.subjectType, e.actor])).toEqual([
      ["tender.document_viewed", "Tender", "测试"],
      ["evaluation.sheet.submitted", "evaluation-session", "测试"],
    ]);
    expect(timeline.truncated).toBe(false);
    // Each sits about 20 s into the second segment: 10 s (first segment) + ~20 s.
    for (const e of timeline.entries) {
      const position = videoPosition(timeline.sources["camera-1"]!, Date.parse(e.at));
      expect(position?.inGap).toBe(false);
      expect(position!.offsetSeconds).toBeGreaterThan(29);
      expect(position!.offsetSeconds).toBeLessThan(31.5);
    }
  });

  it("a tender without a recording has an empty timeline", async () => {
    const agent = await makeActor("AGENT", "AGENT");
    const tenderId = await makeTender(agent.userId);
    await appendAudit({
      actorId: agent.userId,
      action: "tender.document_viewed",
      subjectType: "Tender",
      subjectId: tenderId,
      data: {},
    });
    expect(await evidenceTimeline(tenderId)).toEqual({ sources: {}, entries: [], truncated: false });
  });
});
