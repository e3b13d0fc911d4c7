// Issue 14 over the real database: the pool, the request's refusals (TBL Art 37, Regs Art 46),
// the draw with its exclusions and reserves, invitations, replacement, confidentiality and the
// public re-run of the draw.
import { execFile } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { checkPublishedDraw, rerunDraw, toHex, type DrawRequirement } from "../../bidding-core/index.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { applyAsExpert, decidePool, addDeclaration, enterExpert } from "~/features/experts/pool.server.ts";
import { verifyPassword } from "~/features/accounts/password.server.ts";
import { decideCommitteeRequest, submitCommitteeRequest } from "~/features/experts/request.server.ts";
import { replaceMember, respondToInvitation, runDraw } from "~/features/experts/draw.server.ts";
import {
  agentCommitteeView,
  confidentialCommitteeView,
  fixCommitteeResult,
  loadCommittee,
  publicDraw,
} from "~/features/experts/committee.server.ts";
import { avoidanceContext, poolProfiles, splitPool } from "~/features/experts/eligibility.server.ts";
import { setExpertGateways } from "~/features/experts/notifier.server.ts";
import { toBeijingLocal } from "~/features/tenders/beijing-time.ts";
import { makeActor, makeOrg } from "../fixtures/publication.ts";
import { randomCreditCode, uniqueEmail } from "../support/ids.ts";

const HOUR = 3_600_000;
const sent: string[] = [];

afterAll(async () => {
  resetClockForTests();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

function idNumber(): string {
  // Region, birth date and serial drawn at random: ~10^8 numbers, so runs against the same database do not collide.
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const body = `${pad(110000 + randomInt(550000), 6)}${1950 + randomInt(55)}${pad(1 + randomInt(12), 2)}${pad(1 + randomInt(28), 2)}${pad(randomInt(1000), 3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + "10X98765432"[sum % 11]!;
}

/** A fresh speciality per run (its own level-1/2 parents) so the shared test database's other experts do not count. */
async function specialty(): Promise<string> {
  const letter = "Z";
  const field = `${letter}${String(randomInt(100)).padStart(2, "0")}`;
  const code = `${field}${String(randomInt(100)).padStart(2, "0")}`;
  await db().expertSpecialty.upsert({
    where: { code: letter },
    update: {},
    create: { code: letter, level: 1, nameZh: "测试", nameEn: "Test" },
  });
  await db().expertSpecialty.upsert({
    where: { code: field },
    update: {},
    create: { code: field, level: 2, parentCode: letter, nameZh: "测试", nameEn: "Test" },
  });
  const existing = await db().expertSpecialty.findUnique({ where: { code } });
  if (existing) return specialty();
  await db().expertSpecialty.create({
    data: { code, level: 3, parentCode: field, nameZh: `测试专业${code}`, nameEn: `Test ${code}` },
  });
  return code;
}

async function expert(specialties: string[], employer?: { name: string; creditCode: string }, approve = true) {
  const e = employer ?? { name: `测试大学${randomBytes(2).toString("hex")}`, creditCode: randomCreditCode() };
  const applied = await applyAsExpert({
    name: `专家${randomBytes(2).toString("hex")}`,
    idNumber: idNumber(),
    employerName: e.name,
    employerCreditCode: e.creditCode,
    title: "高级工程师",
    yearsOfPractice: 12,
    region: "明州市",
    phone: "13800000000",
    specialties,
    email: uniqueEmail("expert"),
    password: "expert-password-1",
  });
  if (!applied.ok) throw new Error(`apply: ${applied.error}`);
  if (approve) expect(await decidePool(admin.userId, { intent: "approve", expertId: applied.expertId })).toEqual({ ok: true });
  return applied;
}

function sessionUser(a: { userId: string; organizationId: string }, role: SessionUser["role"]): SessionUser {
  return { id: a.userId, email: "x@test", name: "测试", role, organizationId: a.organizationId, organizationName: null };
}

let admin: Awaited<ReturnType<typeof makeActor>>;

async function closedTender() {
  const agent = await makeActor("AGENT", "AGENT");
  const tenderer = await makeOrg("TENDERER");
  const bidders = await Promise.all([makeOrg("BIDDER"), makeOrg("BIDDER"), makeOrg("BIDDER")]);
  const supervisor = await makeActor("SUPERVISOR", "SUPERVISION");
  const deadline = new Date(Date.now() - HOUR);
  const tender = await db().tender.create({
    data: {
      code: `EXP-${randomBytes(4).toString("hex")}`,
      title: "专家抽取测试项目",
      procedureType: "WORKS",
      status: "BIDDING_CLOSED",
      estimatedPriceCents: 100_000_00n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.userId,
      docsIssueAt: new Date(deadline.getTime() - 25 * 24 * HOUR),
      docsAvailableUntil: new Date(deadline.getTime() - 15 * 24 * HOUR),
      bidDeadline: deadline,
      publishedAt: new Date(deadline.getTime() - 25 * 24 * HOUR),
      bids: { create: bidders.map((b) => ({ organizationId: b.id })) },
    },
    select: { id: true, code: true },
  });
  await db().tenderSupervisor.create({ data: { tenderId: tender.id, userId: supervisor.userId, assignedById: admin.userId } });
  return { tender, agent, supervisor, bidders, deadline };
}

const inHours = (h: number) => toBeijingLocal(new Date(Date.now() + h * HOUR));

beforeAll(async () => {
  admin = await makeActor("ADMIN", "PLATFORM");
  setExpertGateways([{ name: "test", send: async (m) => void sent.push(m.userId) }]);
});

describe("expert pool (专家库)", () => {
  it("keeps only the keyed hash of the ID number, refuses the same person twice, and audits decisions", async () => {
    const code = await specialty();
    const id = idNumber();
    const base = {
      name: "钱专家",
      idNumber: id,
      employerName: "明州理工",
      employerCreditCode: randomCreditCode(),
      title: "教授",
      yearsOfPractice: 20,
      region: "明州",
      phone: "13900000000",
      specialties: [code],
      password: "expert-password-1",
    };
    const first = await applyAsExpert({ ...base, email: uniqueEmail("e") });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const row = await db().expert.findUniqueOrThrow({
      where: { id: first.expertId },
      select: { idNumberHash: true, status: true },
    });
    expect(row.status).toBe("PENDING");
    expect(row.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await db().expert.findUniqueOrThrow({ where: { id: first.expertId } }))).not.toContain(id);
    expect(await applyAsExpert({ ...base, email: uniqueEmail("e") })).toEqual({
      ok: false,
      field: "idNumber",
      error: "idNumberTaken",
    });
    expect(await decidePool(admin.userId, { intent: "suspend", expertId: first.expertId, reason: "x" })).toMatchObject({
      ok: false,
      refusal: { code: "experts.pool.badTransition", status: 409 },
    });
    expect(await decidePool(admin.userId, { intent: "approve", expertId: first.expertId })).toEqual({ ok: true });
    expect(await decidePool(admin.userId, { intent: "suspend", expertId: first.expertId, reason: "违规" })).toEqual({ ok: true });
    expect(
      await db().auditEntry.count({
        where: { subjectId: first.expertId, action: { in: ["experts.applied", "experts.approved", "experts.suspended"] } },
      }),
    ).toBe(3);
  });

  it("the trading centre enters an expert: approved at once, with a generated password that signs in", async () => {
    const code = await specialty();
    const { password: _unused, ...profile } = {
      name: "孙专家",
      idNumber: idNumber(),
      employerName: "明州设计院",
      employerCreditCode: randomCreditCode(),
      title: "高工",
      yearsOfPractice: 15,
      region: "明州",
      phone: "13700000000",
      specialties: [code],
      email: uniqueEmail("entered"),
      password: "",
    };
    const entered = await enterExpert(admin.userId, profile);
    if (!entered.ok || !("password" in entered)) throw new Error("enter failed");
    const row = await db().expert.findUniqueOrThrow({
      where: { id: entered.expertId },
      select: { status: true, decidedById: true, user: { select: { passwordHash: true, role: true } } },
    });
    expect(row).toMatchObject({ status: "APPROVED", decidedById: admin.userId, user: { role: "EXPERT" } });
    expect(await verifyPassword(entered.password, row.user.passwordHash)).toBe(true);
    expect(
      await db().auditEntry.count({ where: { subjectId: entered.expertId, action: "experts.entered", actorId: admin.userId } }),
    ).toBe(1);
  });
});

describe("committee request, draw and invitations", () => {
  it("refuses unlawful requests citing the article, and a pool too small with how many are missing", async () => {
    const [a, b] = [await specialty(), await specialty()];
    for (let i = 0; i < 5; i++) await expert([a]);
    for (let i = 0; i < 2; i++) await expert([b]);
    const { tender, agent } = await closedTender();
    const user = sessionUser(agent, "AGENT");
    const form = (requirements: DrawRequirement[], representativeIds: string[] = []) => ({
      requirements,
      representativeIds,
      evaluationStart: inHours(48),
      drawLeadHours: 24,
      confirmWindowMinutes: 15,
    });
    expect(await submitCommitteeRequest(user, tender.id, form([{ specialty: a, count: 4, reserves: 0 }]))).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.COMMITTEE.EVEN_SIZE", article: "TBL Art 37", status: 422 },
    });
    const reps = [(await makeActor("AGENT", "AGENT", agent.organizationId)).userId, agent.userId];
    expect(await submitCommitteeRequest(user, tender.id, form([{ specialty: a, count: 3, reserves: 0 }], reps))).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.COMMITTEE.TOO_FEW_EXPERTS", article: "TBL Art 37", status: 422 },
    });
    expect(
      await submitCommitteeRequest(
        user,
        tender.id,
        form([
          { specialty: a, count: 3, reserves: 1 },
          { specialty: b, count: 2, reserves: 1 },
        ]),
      ),
    ).toEqual({
      ok: false,
      refusal: {
        code: "experts.request.shortfall",
        status: 422,
        article: "Regs Art 46",
        params: { specialty: b, needed: 3, available: 2, missing: 1, others: 0 },
      },
    });
    const before = await submitCommitteeRequest(user, tender.id, {
      ...form([{ specialty: a, count: 5, reserves: 0 }]),
      evaluationStart: toBeijingLocal(new Date(Date.now() - 2 * HOUR)),
    });
    expect(before).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.DRAW.EVALUATION_BEFORE_DEADLINE", article: "TBL Art 34", status: 422 },
    });
    const stranger = await makeActor("AGENT", "AGENT");
    expect(
      await submitCommitteeRequest(sessionUser(stranger, "AGENT"), tender.id, form([{ specialty: a, count: 5, reserves: 0 }])),
    ).toMatchObject({ ok: false, refusal: { code: "experts.request.notYours" } });
  });

  it("draws after approval with exclusions and reserves; a decline or a late answer calls the next reserve; the public re-run matches", async () => {
    const [a, b] = [await specialty(), await specialty()];
    const { tender, agent, supervisor, bidders } = await closedTender();
    const bidderOrg = await db().organization.findUniqueOrThrow({
      where: { id: bidders[0]!.id },
      select: { name: true, creditCode: true },
    });
    const relativeOrg = await db().organization.findUniqueOrThrow({
      where: { id: bidders[1]!.id },
      select: { name: true, creditCode: true },
    });
    for (let i = 0; i < 6; i++) await expert([a]);
    for (let i = 0; i < 4; i++) await expert([b]);
    const employee = await expert([a], bidderOrg);
    const relative = await expert([b]);
    expect(
      await addDeclaration(relative.userId, {
        kind: "RELATIVE_EMPLOYER",
        organizationName: relativeOrg.name,
        creditCode: relativeOrg.creditCode,
        relation: "配偶",
        endedOn: undefined,
      }),
    ).toEqual({ ok: true });
    const suspended = await expert([a]);
    await decidePool(admin.userId, { intent: "suspend", expertId: suspended.expertId, reason: "调查中" });
    const penalised = await expert([b]);
    await decidePool(admin.userId, {
      intent: "penalty",
      expertId: penalised.expertId,
      reason: "评标不公",
      endsOn: toBeijingLocal(new Date(Date.now() + 400 * 24 * HOUR)).slice(0, 10),
    });
    const pending = await expert([a], undefined, false);

    const requirements = [
      { specialty: a, count: 3, reserves: 2 },
      { specialty: b, count: 2, reserves: 1 },
    ];
    const submitted = await submitCommitteeRequest(sessionUser(agent, "AGENT"), tender.id, {
      requirements,
      representativeIds: [],
      evaluationStart: inHours(6),
      drawLeadHours: 24,
      confirmWindowMinutes: 15,
    });
    expect(submitted.ok).toBe(true);
    if (!submitted.ok) return;
    const requestId = submitted.requestId;
    expect(await runDraw(requestId)).toEqual({ drawn: false, requestId, reason: "not-approved" });
    const other = await makeActor("SUPERVISOR", "SUPERVISION");
    expect(await decideCommitteeRequest(sessionUser(other, "SUPERVISOR"), requestId, { approve: true, note: "" })).toMatchObject({
      ok: false,
      refusal: { code: "experts.request.notAssigned" },
    });
    const approved = await decideCommitteeRequest(sessionUser(supervisor, "SUPERVISOR"), requestId, {
      approve: true,
      note: "同意",
    });
    expect(approved.ok).toBe(true);

    // Before the draw the public sees the commitment only.
    const committed = await publicDraw(tender.id);
    expect(committed).toMatchObject({ state: "committed", poolHash: null });
    expect(JSON.stringify(committed)).not.toMatch(/seedSecret|secretHex/);

    const drawn = await runDraw(requestId);
    expect(drawn).toMatchObject({ drawn: true, requestId });
    expect(await runDraw(requestId)).toEqual({ drawn: false, requestId, reason: "not-approved" });

    const view = await confidentialCommitteeView(sessionUser(supervisor, "SUPERVISOR"), requestId);
    const reasons = Object.fromEntries(view.excluded.map((e) => [e.expertId, e.reasons]));
    expect(reasons[employee.expertId]).toEqual(["employed-by-bidder"]);
    expect(reasons[relative.expertId]).toEqual(["relative-of-bidder"]);
    expect(reasons[suspended.expertId]).toEqual(["suspended"]);
    expect(reasons[penalised.expertId]).toEqual(["past-penalty"]);
    const drawnIds = [...view.seats.map((s) => s.expertId), ...view.reserves.map((r) => r.expertId)];
    for (const out of [employee, relative, suspended, penalised, pending]) expect(drawnIds).not.toContain(out.expertId);
    expect(view.seats.map((s) => [s.seat, s.specialty, s.status])).toEqual([
      [1, a, "INVITED"],
      [2, a, "INVITED"],
      [3, a, "INVITED"],
      [4, b, "INVITED"],
      [5, b, "INVITED"],
    ]);
    expect(view.reserves.map((r) => r.specialty)).toEqual([a, a, b]);
    expect(view.seats.every((s) => typeof s.name === "string")).toBe(true);
    expect(sent.length).toBeGreaterThanOrEqual(5);

    // The agent sees counts, never who; the agent may not open the confidential view.
    const agentView = await agentCommitteeView(tender.id);
    expect(agentView?.counts).toEqual([
      { specialty: a, seats: 3, confirmed: 0, invited: 3 },
      { specialty: b, seats: 2, confirmed: 0, invited: 2 },
    ]);
    expect(JSON.stringify(agentView)).not.toMatch(new RegExp(view.seats.map((s) => s.expertId).join("|")));
    await expect(confidentialCommitteeView(sessionUser(agent, "AGENT"), requestId)).rejects.toMatchObject({ status: 403 });

    const userOf = async (expertId: string) =>
      (await db().expert.findUniqueOrThrow({ where: { id: expertId }, select: { userId: true } })).userId;
    const seatOf = (expertId: string) =>
      db().committeeSeat.findFirstOrThrow({ where: { requestId, expertId }, select: { id: true, seat: true } });
    // Seat 1 declines: the first reserve of the same specialty is invited to seat 1.
    const first = view.seats[0]!;
    expect(await respondToInvitation(await userOf(first.expertId), (await seatOf(first.expertId)).id, false)).toEqual({
      ok: true,
    });
    const reserve1 = view.reserves[0]!.expertId;
    expect((await seatOf(reserve1)).seat).toBe(1);
    // Seats 2-5 confirm in time.
    for (const s of view.seats.slice(1))
      expect(await respondToInvitation(await userOf(s.expertId), (await seatOf(s.expertId)).id, true)).toEqual({ ok: true });
    // The reserve answers after the window: refused, timed out, the next reserve invited.
    setClockForTests(Date.now() + 16 * 60_000);
    expect(await respondToInvitation(await userOf(reserve1), (await seatOf(reserve1)).id, true)).toMatchObject({
      ok: false,
      refusal: { code: "experts.own.windowClosed", status: 409 },
    });
    resetClockForTests();
    const reserve2 = view.reserves[1]!.expertId;
    expect((await seatOf(reserve2)).seat).toBe(1);
    expect(await respondToInvitation(await userOf(reserve2), (await seatOf(reserve2)).id, true)).toEqual({ ok: true });
    expect((await agentCommitteeView(tender.id))?.counts).toEqual([
      { specialty: a, seats: 3, confirmed: 3, invited: 0 },
      { specialty: b, seats: 2, confirmed: 2, invited: 0 },
    ]);

    // Regs Art 48: a B member recuses; the B reserve replaces; with none left the seat stays open.
    const bMember = view.seats[3]!.expertId;
    expect(
      await replaceMember({ tenderId: tender.id, expertId: bMember, reason: "recused", actorId: supervisor.userId }),
    ).toEqual({ ok: true, replacementExpertId: view.reserves[2]!.expertId });
    const bMember2 = view.seats[4]!.expertId;
    expect(await replaceMember({ tenderId: tender.id, expertId: bMember2, reason: "ill", actorId: supervisor.userId })).toEqual({
      ok: true,
      replacementExpertId: null,
    });
    const committee = await loadCommittee(tender.id);
    expect(committee?.members.map((m) => m.specialty)).toEqual([a, a, a, b]);
    expect(committee?.members.filter((m) => m.chairEligible).length).toBe(3);

    // Before the result is fixed: no seed, no pool list. After: anyone re-runs the draw.
    expect(await publicDraw(tender.id)).toMatchObject({ state: "drawn" });
    expect(await fixCommitteeResult(tender.id, admin.userId)).toEqual({ ok: true });
    const published = await publicDraw(tender.id);
    if (published.state !== "published") throw new Error(`state ${published.state}`);
    expect(checkPublishedDraw(published.draw)).toMatchObject({ matches: true });
    expect(published.draw.members.map((m) => m.expertId)).toEqual(view.seats.map((s) => s.expertId));
    expect(checkPublishedDraw({ ...published.draw, eligible: published.draw.eligible.slice(1) })).toMatchObject({
      matches: false,
      failure: "pool-hash",
    });
    expect(checkPublishedDraw({ ...published.draw, secretHex: toHex(randomBytes(32)) })).toMatchObject({
      matches: false,
      failure: "seed-commitment",
    });
    // `npm run verify:draw` re-runs it from the published JSON, and says where a tampered one differs.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draw-"));
    const file = path.join(dir, "draw.json");
    const verify = (body: unknown) => {
      fs.writeFileSync(file, JSON.stringify({ format: "MB-EXPERT-DRAW v1", tender: tender.code, ...(body as object) }));
      return promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/verify-draw.ts", "--in", file]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    };
    expect(await verify(published)).toMatchObject({ code: 0, out: expect.stringContaining("matches") });
    const swapped = { ...published, draw: { ...published.draw, members: [...published.draw.members].reverse() } };
    expect(await verify(swapped)).toMatchObject({
      code: 1,
      out: expect.stringContaining("does not match: members at position 1"),
    });
    fs.rmSync(dir, { recursive: true, force: true });
    // The seed mixes in the audit entry that fixed the pool.
    const fixed = await db().auditEntry.findFirstOrThrow({
      where: { action: "experts.pool_fixed", subjectId: tender.id },
      select: { hash: true, data: true },
    });
    expect(published.draw.mixHex).toBe(fixed.hash);
    expect(fixed.data).toMatchObject({ poolHash: published.draw.poolHash, seedCommitment: published.draw.commitment });
  });

  it("1000 draws from the real pool never draw a bidder's employee (Eval-Rules Art 12)", async () => {
    const a = await specialty();
    const { tender, bidders } = await closedTender();
    const bidderOrg = await db().organization.findUniqueOrThrow({
      where: { id: bidders[2]!.id },
      select: { name: true, creditCode: true },
    });
    for (let i = 0; i < 7; i++) await expert([a]);
    const employee = await expert([a], bidderOrg);
    const requirements = [{ specialty: a, count: 5, reserves: 2 }];
    const { eligible, excluded } = await db().$transaction(async (tx) =>
      splitPool(await poolProfiles(tx, requirements, new Date()), await avoidanceContext(tx, tender.id, new Date())),
    );
    expect(excluded).toEqual([{ expertId: employee.expertId, reasons: ["employed-by-bidder"] }]);
    for (let i = 0; i < 1000; i++) {
      const r = rerunDraw({ eligible, requirements, seed: new Uint8Array(randomBytes(32)) });
      if (!r.ok) throw new Error(r.error.code);
      expect([...r.value.members, ...r.value.reserves].some((m) => m.expertId === employee.expertId)).toBe(false);
    }
  });
});
