import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues, enqueue, startJobWorkers } from "~/services/jobs.server.ts";
import { closeBidding, closeJobId, sweepDeadlines } from "~/features/tenders/close-bidding.jobs.server.ts";
import { makeActor, makeOrg } from "../fixtures/publication.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

const DAY = 86_400_000;

/** A published tender row whose deadline is `deadline` (set directly: the clock is the test's). */
async function publishedTender(deadline: Date, status: "PUBLISHED" | "CLARIFICATION" = "PUBLISHED") {
  const agent = await makeActor("AGENT", "AGENT");
  const tenderer = await makeOrg("TENDERER");
  return db().tender.create({
    data: {
      code: `JOB-${Math.random().toString(36).slice(2, 10)}`,
      title: "截标测试",
      procedureType: "GOODS",
      status,
      estimatedPriceCents: 100_000_00n,
      tendererOrgId: tenderer.id,
      agentOrgId: agent.organizationId,
      createdById: agent.userId,
      docsIssueAt: new Date(deadline.getTime() - 25 * DAY),
      docsAvailableUntil: new Date(deadline.getTime() - 15 * DAY),
      bidDeadline: deadline,
      publishedAt: new Date(deadline.getTime() - 25 * DAY),
    },
    select: { id: true, createdById: true },
  });
}

describe("close-bidding job (TBL Art 34)", () => {
  it("does nothing before the deadline, closes exactly at it, and is idempotent", async () => {
    const deadline = new Date(Date.now() + 3_600_000);
    const tender = await publishedTender(deadline);
    expect(await closeBidding(tender.id, new Date(deadline.getTime() - 1))).toEqual({
      closed: false,
      tenderId: tender.id,
      reason: "deadline-not-reached",
    });
    expect((await db().tender.findUniqueOrThrow({ where: { id: tender.id } })).status).toBe("PUBLISHED");

    expect(await closeBidding(tender.id, deadline)).toEqual({ closed: true, tenderId: tender.id, bids: 0 });
    expect((await db().tender.findUniqueOrThrow({ where: { id: tender.id } })).status).toBe("BIDDING_CLOSED");
    expect(await closeBidding(tender.id, new Date(deadline.getTime() + DAY))).toEqual({
      closed: false,
      tenderId: tender.id,
      reason: "not-open",
    });
    expect(await db().auditEntry.count({ where: { action: "tender.bidding_closed", subjectId: tender.id } })).toBe(1);
    expect(await db().notification.count({ where: { userId: tender.createdById, kind: "tender.bidding_closed" } })).toBe(1);
  });

  it("runs through bull: a due job closes the tender; a stale job (deadline since moved) does nothing", async () => {
    await startJobWorkers();
    const due = await publishedTender(new Date(Date.now() - 1000), "CLARIFICATION");
    const job = await enqueue(
      "tender.close-bidding",
      { tenderId: due.id, bidDeadline: new Date().toISOString() },
      { jobId: `test-${due.id}` },
    );
    expect(await job.finished()).toMatchObject({ closed: true });
    expect((await db().tender.findUniqueOrThrow({ where: { id: due.id } })).status).toBe("BIDDING_CLOSED");

    const moved = await publishedTender(new Date(Date.now() + 10 * DAY));
    const stale = await enqueue(
      "tender.close-bidding",
      { tenderId: moved.id, bidDeadline: new Date().toISOString() },
      { jobId: closeJobId(moved.id, new Date()) },
    );
    expect(await stale.finished()).toMatchObject({ closed: false, reason: "deadline-not-reached" });
    expect((await db().tender.findUniqueOrThrow({ where: { id: moved.id } })).status).toBe("PUBLISHED");
  });

  it("the sweep closes every open tender whose deadline passed (covers a lost delayed job)", async () => {
    const past = await publishedTender(new Date(Date.now() - 60_000));
    const future = await publishedTender(new Date(Date.now() + DAY));
    const outcomes = await sweepDeadlines();
    expect(outcomes.find((o) => o.tenderId === past.id)).toMatchObject({ closed: true });
    expect(outcomes.find((o) => o.tenderId === future.id)).toBeUndefined();
    expect((await db().tender.findUniqueOrThrow({ where: { id: future.id } })).status).toBe("PUBLISHED");
  });
});
