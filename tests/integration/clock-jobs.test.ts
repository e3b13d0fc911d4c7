import Queue from "bull";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis, createRedis } from "~/platform/redis.server.ts";
import { closeQueues, enqueue } from "~/services/jobs.server.ts";
import { startJobWorkers } from "~/platform/jobs/queues.server.ts";
import { clockTimerJob, scheduleClockTimers } from "~/features/clocks/index.ts";
import { publishedTender } from "../fixtures/remedies.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

const HOUR = 3_600_000;

async function clockRow(tenderId: string, dueAt: Date, warnAt: Date) {
  return db().deadlineClock.create({
    data: {
      tenderId,
      kind: "objection-answer",
      subjectType: "Objection",
      subjectId: crypto.randomUUID(),
      startedAt: new Date(dueAt.getTime() - 72 * HOUR),
      basis: { kind: "within-days", days: 3 },
      dueAt,
      warnAt,
      createdAt: new Date(),
    },
    select: { id: true, dueAt: true, warnAt: true },
  });
}

describe("node control timers through bull (Regs Art 22 answer clock)", () => {
  it("TBL Art 34 / Regs Art 22: a timer warns the agent once; an alarm past the end reaches the agent and the supervisors once", async () => {
    // Only the timer's worker: the repeating sweep would race the timer for the same clock.
    await startJobWorkers([clockTimerJob]);
    const now = Date.now();
    const cast = await publishedTender({ issuedAt: new Date(now - 5 * 24 * HOUR), bidDeadline: new Date(now + 20 * 24 * HOUR) });
    const warnOnly = await clockRow(cast.tenderId, new Date(now + 2 * HOUR), new Date(now - 1000));
    const warned = await enqueue("clocks.timer", { clockId: warnOnly.id, at: "warn" });
    expect(await warned.finished()).toBe("warned");
    expect(await (await enqueue("clocks.timer", { clockId: warnOnly.id, at: "warn" })).finished()).toBe("none");
    expect(await db().notification.count({ where: { userId: cast.agent.userId, kind: "clock.warning" } })).toBe(1);
    expect(await db().notification.count({ where: { userId: cast.supervisor.userId, kind: "clock.warning" } })).toBe(0);

    const overdue = await clockRow(cast.tenderId, new Date(now - 1000), new Date(now - 25 * HOUR));
    expect(await (await enqueue("clocks.timer", { clockId: overdue.id, at: "alarm" })).finished()).toBe("alarmed");
    expect(await (await enqueue("clocks.timer", { clockId: overdue.id, at: "alarm" })).finished()).toBe("none");
    for (const userId of [cast.agent.userId, cast.supervisor.userId])
      expect(await db().notification.count({ where: { userId, kind: "clock.alarm" } })).toBe(1);
    expect(await db().auditEntry.count({ where: { action: "clock.alarm", subjectId: overdue.id } })).toBe(1);
  });

  it("schedules a delayed warning and alarm per clock end, with ids a recount replaces", async () => {
    const now = Date.now();
    const cast = await publishedTender({ issuedAt: new Date(now - 5 * 24 * HOUR), bidDeadline: new Date(now + 20 * 24 * HOUR) });
    const clock = await clockRow(cast.tenderId, new Date(now + 48 * HOUR), new Date(now + 24 * HOUR));
    await scheduleClockTimers([{ ...clock, provisional: false, provisionalYears: [] }]);
    const queue = new Queue("clocks.timer", {
      prefix: "mb",
      createClient: () => createRedis({ maxRetriesPerRequest: null, enableReadyCheck: false }),
    });
    try {
      const warn = await queue.getJob(`clock:${clock.id}:warn:${clock.warnAt.getTime()}`);
      const alarm = await queue.getJob(`clock:${clock.id}:alarm:${clock.dueAt.getTime() + 1}`);
      expect(await warn?.getState()).toBe("delayed");
      expect(await alarm?.getState()).toBe("delayed");
      expect(warn!.opts.delay).toBeGreaterThan(23 * HOUR);
      await warn?.remove();
      await alarm?.remove();
    } finally {
      await queue.close();
    }
  });
});
