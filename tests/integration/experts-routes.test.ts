// The expert pages as users reach them (route loaders and actions with real sessions): who may
// see names, refusals citing the article, and the public JSON before and after the result.
import { randomBytes, randomInt } from "node:crypto";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { runDraw } from "~/features/experts/draw.server.ts";
import { fixCommitteeResult } from "~/features/experts/committee.server.ts";
import { toBeijingLocal } from "~/features/tenders/beijing-time.ts";
import { action as requestAction, loader as requestLoader } from "~/routes/agent.tenders_.$tenderId.committee.tsx";
import { action as decideAction, loader as superviseLoader } from "~/routes/supervisor.committees.$requestId.tsx";
import { loader as poolLoader } from "~/routes/admin.experts.tsx";
import { loader as drawJson } from "~/routes/tenders_.$tenderId.draw[.]json.ts";
import { loader as expertLoader } from "~/routes/expert.tsx";
import { args, get, makeActor, makeOrg, post } from "../fixtures/publication.ts";
import { respond } from "../support/requests.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

const HOUR = 3_600_000;

async function fixture() {
  const admin = await makeActor("ADMIN", "PLATFORM");
  const agent = await makeActor("AGENT", "AGENT");
  const supervisor = await makeActor("SUPERVISOR", "SUPERVISION");
  const bidder = await makeActor("BIDDER", "BIDDER");
  const tenderer = await makeOrg("TENDERER");
  const code = `Y${String(randomInt(100)).padStart(2, "0")}${String(randomInt(100)).padStart(2, "0")}`;
  await db().expertSpecialty.upsert({
    where: { code: "Y" },
    update: {},
    create: { code: "Y", level: 1, nameZh: "测试", nameEn: "Test" },
  });
  await db().expertSpecialty.upsert({
    where: { code: code.slice(0, 3) },
    update: {},
    create: { code: code.slice(0, 3), level: 2, parentCode: "Y", nameZh: "测试", nameEn: "Test" },
  });
  await db().expertSpecialty.upsert({
    where: { code },
    update: {},
    create: { code, level: 3, parentCode: code.slice(0, 3), nameZh: "测试", nameEn: "Test" },
  });
  const experts = [];
  for (let i = 0; i < 7; i++) {
    const e = await makeActor("EXPERT", "EXPERT_EMPLOYER");
    const row = await db().expert.create({
      data: {
        userId: e.userId,
        name: `路由专家${randomBytes(2).toString("hex")}`,
        idNumberHash: randomBytes(32).toString("hex"),
        employerOrgId: e.organizationId,
        title: "高工",
        yearsOfPractice: 10,
        region: "明州",
        phone: "13800000000",
        status: "APPROVED",
        specialties: { create: { specialtyCode: code } },
      },
      select: { id: true, name: true },
    });
    experts.push({ ...e, ...row });
  }
  const deadline = new Date(Date.now() - HOUR);
  const tender = await db().tender.create({
    data: {
      code: `EXR-${randomBytes(4).toString("hex")}`,
      title: "路由测试项目",
      procedureType: "WORKS",
      status: "BIDDING_CLOSED",
      estimatedPriceCents: 1_000_000n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.userId,
      bidDeadline: deadline,
      publishedAt: new Date(deadline.getTime() - 30 * 24 * HOUR),
      bids: { create: { organizationId: bidder.organizationId } },
      supervisors: { create: { userId: supervisor.userId, assignedById: admin.userId } },
    },
    select: { id: true },
  });
  return { admin, agent, supervisor, bidder, code, experts, tenderId: tender.id };
}

describe("expert routes", () => {
  it("refuses unlawful requests with the article, lets only the assigned supervisor and the admin see names, publishes the seed only after the result", async () => {
    const f = await fixture();
    const path = `/agent/tenders/${f.tenderId}/committee`;
    const fields = (count: string, reserves = "1") => ({
      specialty: [f.code, "", ""],
      count: [count, "0", "0"],
      reserves: [reserves, "0", "0"],
      evaluationStart: toBeijingLocal(new Date(Date.now() + 3 * HOUR)),
      drawLeadHours: "24",
      confirmWindowMinutes: "15",
    });
    const four = await respond(() => requestAction(args(post(path, f.agent, fields("4")), { tenderId: f.tenderId })));
    expect(four.status).toBe(422);
    expect(await four.json()).toEqual({
      ok: false,
      refusal: { code: "tender.errors.COMMITTEE.EVEN_SIZE", status: 422, article: "TBL Art 37", params: { size: 4 } },
    });
    const short = await respond(() => requestAction(args(post(path, f.agent, fields("5", "3")), { tenderId: f.tenderId })));
    expect((await short.json()).refusal).toEqual({
      code: "experts.request.shortfall",
      status: 422,
      article: "Regs Art 46",
      params: { specialty: f.code, needed: 8, available: 7, missing: 1, others: 0 },
    });
    expect((await respond(() => requestLoader(args(get(path, f.bidder.cookie), { tenderId: f.tenderId })))).status).toBe(403);
    const ok = await respond(() => requestAction(args(post(path, f.agent, fields("5", "2")), { tenderId: f.tenderId })));
    expect(await ok.json()).toEqual({ ok: true, refusal: null });

    const { id: requestId } = await db().committeeRequest.findFirstOrThrow({
      where: { tenderId: f.tenderId },
      select: { id: true },
    });
    const supervise = `/supervisor/committees/${requestId}`;
    const other = await makeActor("SUPERVISOR", "SUPERVISION");
    expect(
      (await respond(() => decideAction(args(post(supervise, other, { intent: "approve", note: "" }), { requestId })))).status,
    ).toBe(403);
    expect(
      (await respond(() => decideAction(args(post(supervise, f.supervisor, { intent: "approve", note: "同意" }), { requestId }))))
        .status,
    ).toBe(200);
    expect((await runDraw(requestId)).drawn).toBe(true);

    const names = f.experts.map((e) => e.name);
    const seen = async (cookie: string) =>
      JSON.stringify(await (await respond(() => superviseLoader(args(get(supervise, cookie), { requestId })))).json());
    const supervisorView = await seen(f.supervisor.cookie);
    expect(names.filter((n) => supervisorView.includes(n)).length).toBe(7);
    const adminView = await seen(f.admin.cookie);
    expect(names.filter((n) => adminView.includes(n)).length).toBe(7);
    for (const outsider of [f.agent, f.bidder, other])
      expect((await respond(() => superviseLoader(args(get(supervise, outsider.cookie), { requestId })))).status).toBe(403);
    const agentPage = JSON.stringify(
      await (await respond(() => requestLoader(args(get(path, f.agent.cookie), { tenderId: f.tenderId })))).json(),
    );
    for (const n of names) expect(agentPage).not.toContain(n);
    for (const e of f.experts) expect(agentPage).not.toContain(e.id);
    expect(JSON.stringify(await (await respond(() => poolLoader(args(get("/admin/experts", f.supervisor.cookie))))).status)).toBe(
      "403",
    );

    // An invited expert sees the tender and the time, not the bidders.
    const invited = await db().committeeSeat.findFirstOrThrow({
      where: { requestId },
      select: { expert: { select: { userId: true } } },
    });
    const invitedActor = f.experts.find((e) => e.userId === invited.expert.userId)!;
    const own = JSON.stringify(await (await respond(() => expertLoader(args(get("/expert", invitedActor.cookie))))).json());
    expect(own).toContain("路由测试项目");
    const bidderOrg = await db().organization.findUniqueOrThrow({
      where: { id: f.bidder.organizationId },
      select: { name: true },
    });
    expect(own).not.toContain(bidderOrg.name);

    const before = await (
      await respond(() => drawJson(args(get(`/tenders/${f.tenderId}/draw.json`), { tenderId: f.tenderId })))
    ).json();
    expect(before).toMatchObject({
      state: "drawn",
      seedCommitment: expect.stringMatching(/^[0-9a-f]{64}$/),
      poolHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(before)).not.toMatch(/secretHex|eligible/);
    for (const n of names) expect(JSON.stringify(before)).not.toContain(n);
    await fixCommitteeResult(f.tenderId, f.admin.userId);
    const after = await (
      await respond(() => drawJson(args(get(`/tenders/${f.tenderId}/draw.json`), { tenderId: f.tenderId })))
    ).json();
    expect(after).toMatchObject({
      state: "published",
      draw: { secretHex: expect.stringMatching(/^[0-9a-f]{64}$/), eligible: expect.any(Array) },
    });
  });
});
