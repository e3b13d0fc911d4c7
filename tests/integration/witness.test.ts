// 数字见证 access and room lifecycle on the app side: per-tender supervisor assignment by the
// trading centre, who may watch, and the room's start/end rules. (The media path itself is
// covered end to end in tests/e2e/witness.spec.ts.)
import { randomBytes } from "node:crypto";
import { action as assignAction, loader as assignLoader } from "~/routes/admin.supervision.tsx";
import { loader as liveLoader } from "~/routes/witness.$tenderId.tsx";
import { loader as recordingLoader } from "~/routes/witness_.$tenderId.recording.tsx";
import { loader as listLoader } from "~/routes/witness._index.tsx";
import { loader as deviceLoader } from "~/routes/witness_.$tenderId.device.tsx";
import { loader as devicesLoader } from "~/routes/centre.devices.tsx";
import { loader as agentTenderLoader } from "~/routes/agent.tenders.$tenderId.tsx";
import { closeEvaluationWitness, openEvaluationWitness } from "~/features/witness/index.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, makeOrg, post, type Actor } from "../fixtures/publication.ts";

// Nothing listens here: the media server is unreachable for these tests.
process.env.MEDIA_INTERNAL_URL = "http://127.0.0.1:9";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

let admin: Actor;
let agent: Actor;
let supervisor: Actor;
let otherSupervisor: Actor;
let bidder: Actor;
let tenderId: string;

async function makeTender(status: "DRAFT" | "PUBLISHED", agentOrgId: string, createdById: string): Promise<string> {
  const tenderer = await makeOrg("TENDERER");
  const t = await db().tender.create({
    data: {
      code: `WT-${randomBytes(4).toString("hex")}`,
      title: "见证测试项目",
      procedureType: "WORKS",
      status,
      estimatedPriceCents: 100_000_00n,
      tendererOrgId: tenderer.id,
      agentOrgId,
      createdById,
    },
    select: { id: true },
  });
  return t.id;
}

const auditCount = async (action: string, subjectId: string) => db().auditEntry.count({ where: { action, subjectId } });

beforeAll(async () => {
  admin = await makeActor("ADMIN", "PLATFORM");
  agent = await makeActor("AGENT", "AGENT");
  supervisor = await makeActor("SUPERVISOR", "SUPERVISION");
  otherSupervisor = await makeActor("SUPERVISOR", "SUPERVISION");
  bidder = await makeActor("BIDDER", "BIDDER");
  tenderId = await makeTender("PUBLISHED", agent.organizationId, agent.userId);
});

describe("supervisor assignment (监督人员指派)", () => {
  it("only the assigned supervisor may watch or play back; the assignment is audited", async () => {
    expect((await respond(() => liveLoader(args(get(`/witness/${tenderId}`, supervisor.cookie), { tenderId })))).status).toBe(
      403,
    );

    const assigned = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "assign", tenderId, userId: supervisor.userId }))),
    );
    expect(assigned.status).toBe(200);
    expect(await auditCount("witness.supervisor.assigned", tenderId)).toBe(1);
    // Assigning twice changes nothing and writes nothing.
    await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "assign", tenderId, userId: supervisor.userId }))),
    );
    expect(await auditCount("witness.supervisor.assigned", tenderId)).toBe(1);

    const live = await respond(() => liveLoader(args(get(`/witness/${tenderId}`, supervisor.cookie), { tenderId })));
    expect(live.status).toBe(200);
    expect(((await live.json()) as { state: string }).state).toBe("notOpened");
    const list = (await (await respond(() => listLoader(args(get("/witness", supervisor.cookie))))).json()) as {
      tenders: { id: string }[];
    };
    expect(list.tenders.map((x) => x.id)).toContain(tenderId);

    // Another supervisor, a bidder and the agent are refused.
    expect(
      (await respond(() => liveLoader(args(get(`/witness/${tenderId}`, otherSupervisor.cookie), { tenderId })))).status,
    ).toBe(403);
    expect(
      (await respond(() => recordingLoader(args(get(`/witness/${tenderId}/recording`, otherSupervisor.cookie), { tenderId }))))
        .status,
    ).toBe(403);
    expect((await respond(() => liveLoader(args(get(`/witness/${tenderId}`, bidder.cookie), { tenderId })))).status).toBe(403);
    expect((await respond(() => liveLoader(args(get(`/witness/${tenderId}`, agent.cookie), { tenderId })))).status).toBe(403);

    const removed = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "remove", tenderId, userId: supervisor.userId }))),
    );
    expect(removed.status).toBe(200);
    expect(await auditCount("witness.supervisor.removed", tenderId)).toBe(1);
    expect((await respond(() => liveLoader(args(get(`/witness/${tenderId}`, supervisor.cookie), { tenderId })))).status).toBe(
      403,
    );
  });

  it("refuses to assign anyone but an active supervisor, and only the trading centre may assign", async () => {
    const refused = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "assign", tenderId, userId: bidder.userId }))),
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("NOT_SUPERVISOR");
    const garbage = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "assign", tenderId, userId: "not-a-uuid" }))),
    );
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: string }).error).toBe("NOT_SUPERVISOR");
    // A removal with a malformed id is refused too, not silently ignored.
    const removal = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "remove", tenderId, userId: "x" }))),
    );
    expect(removal.status).toBe(400);
    const unknown = await respond(() =>
      assignAction(args(post("/admin/supervision", admin, { intent: "promote", tenderId, userId: supervisor.userId }))),
    );
    expect(((await unknown.json()) as { error: string }).error).toBe("BAD_REQUEST");
    expect(
      (
        await respond(() =>
          assignAction(args(post("/admin/supervision", agent, { intent: "assign", tenderId, userId: supervisor.userId }))),
        )
      ).status,
    ).toBe(403);
    expect((await respond(() => assignLoader(args(get("/admin/supervision", supervisor.cookie))))).status).toBe(403);
    const page = (await (await respond(() => assignLoader(args(get("/admin/supervision", admin.cookie))))).json()) as {
      tenders: { id: string }[];
    };
    expect(page.tenders.map((x) => x.id)).toContain(tenderId);
  });
});

describe("evaluation room start and end (the evaluation session; decision 037 revised)", () => {
  it("the agent's tender page shows the room's state (it has no way to start or end it)", async () => {
    const page = await respond(() => agentTenderLoader(args(get(`/agent/tenders/${tenderId}`, agent.cookie), { tenderId })));
    expect(page.status).toBe(200);
    expect(((await page.json()) as { witness: string }).witness).toBe("notOpened");
  });

  it("a draft cannot have a room; ending before starting is refused", async () => {
    const draft = await makeTender("DRAFT", agent.organizationId, agent.userId);
    expect(await openEvaluationWitness(draft)).toMatchObject({ ok: false, refusal: { code: "witness.errors.NOT_PUBLISHED" } });
    expect(await closeEvaluationWitness(tenderId)).toMatchObject({ ok: false, refusal: { code: "witness.errors.NOT_OPEN" } });
  });

  it("when the media server is unreachable the room is not marked open and nothing is audited", async () => {
    expect(await openEvaluationWitness(tenderId)).toMatchObject({
      ok: false,
      refusal: { code: "witness.errors.MEDIA_UNREACHABLE" },
    });
    const t = await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { witnessOpenedAt: true } });
    expect(t.witnessOpenedAt).toBeNull();
    expect(await auditCount("witness.room.opened", tenderId)).toBe(0);
  });

  it("only the trading centre's staff and room device accounts reach the device page and the devices list", async () => {
    const device = await makeActor("ROOM_DEVICE", "PLATFORM");
    const page = (actor: Actor) =>
      respond(() => deviceLoader(args(get(`/witness/${tenderId}/device`, actor.cookie), { tenderId })));
    for (const actor of [agent, bidder, supervisor]) expect((await page(actor)).status).toBe(403);
    for (const actor of [device, admin]) {
      const res = await page(actor);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { state: string }).state).toBe("notOpened");
    }
    const list = (await (await respond(() => devicesLoader(args(get("/centre/devices", device.cookie))))).json()) as {
      tenders: { id: string; state: string }[];
    };
    expect(list.tenders.find((x) => x.id === tenderId)?.state).toBe("notOpened");
    expect((await respond(() => devicesLoader(args(get("/centre/devices", agent.cookie))))).status).toBe(403);
  });

  it("an ended room stays ended and is not offered to devices", async () => {
    await db().tender.update({ where: { id: tenderId }, data: { witnessOpenedAt: new Date(), witnessClosedAt: new Date() } });
    expect(await openEvaluationWitness(tenderId)).toMatchObject({ ok: false, refusal: { code: "witness.errors.ALREADY_ENDED" } });
    expect(await closeEvaluationWitness(tenderId)).toMatchObject({
      ok: false,
      refusal: { code: "witness.errors.ALREADY_ENDED" },
    });
    const list = (await (await respond(() => devicesLoader(args(get("/centre/devices", admin.cookie))))).json()) as {
      tenders: { id: string }[];
    };
    expect(list.tenders.map((x) => x.id)).not.toContain(tenderId);
  });
});
