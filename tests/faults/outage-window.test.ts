// Fault 4 (issue 13 item 5, E-Measures Art 31; decision 091): the app server is killed during a
// decryption window and stays down longer than the heartbeat's threshold. The restarted server's
// first beat puts the gap on record before it listens, and at the window's end the bids still
// sealed are 撤回 (the platform's cause), not 撤销.
import { OUTAGE_GAP_MS } from "../../bidding-core/index.ts";
import { sleep, startApp, until, type AppServer } from "./harness.ts";
import { startServices, stopServices } from "./setup.ts";

const services = await startServices();
const apps: AppServer[] = [];

afterAll(async () => {
  const { resetClockForTests } = await import("~/platform/clock.server.ts");
  resetClockForTests();
  await stopServices(services, apps);
});

describe("the app server down during a decryption window", () => {
  it("records the outage from the heartbeat gap at restart and withdraws (撤回) the bids left sealed", async () => {
    const { db } = await import("~/platform/db.server.ts");
    // The private copy starts with no heartbeat and no outage, whatever the shared test database
    // held (a row a faked clock left ahead, an outage another test left): only this test's gap counts.
    await db().platformHeartbeat.deleteMany();
    await db().platformOutage.deleteMany();
    const first = await startApp(services.env);
    apps.push(first);
    const { setClockForTests } = await import("~/platform/clock.server.ts");
    const { endDecryptionWindow, hallAccess, openDecryptionWindow, publishBidderList, startOpening } =
      await import("~/features/opening/index.ts");
    const { closedTenderWithBids } = await import("../support/opening.ts");

    const f = await closedTenderWithBids(3);
    await startOpening(f.tender.id);
    const host = await hallAccess(f.host, f.tender.id);
    if (!host) throw new Error("no host access");
    expect((await publishBidderList(host, f.host)).ok).toBe(true);
    expect((await openDecryptionWindow(host, f.host)).ok).toBe(true);
    const session = await db().openingSession.findUniqueOrThrow({
      where: { tenderId: f.tender.id },
      select: { windowOpenedAt: true, windowEndsAt: true },
    });
    const opened = session.windowOpenedAt as Date;
    // The running server beats after the window opened.
    await until("a heartbeat after the window opened", async () => {
      const row = await db().platformHeartbeat.findUnique({ where: { id: 1 } });
      return row !== null && row.beatAt.getTime() > opened.getTime();
    });

    await first.kill9();
    // The time down is what is under test (a gap longer than the threshold), not a wait for a condition.
    await sleep(OUTAGE_GAP_MS + 5_000);
    const second = await startApp(services.env, Number(new URL(first.url).port));
    apps.push(second);

    // Listening means the first beat is done: the outage is already on record.
    const outages = await db().platformOutage.findMany({
      where: { source: "HEARTBEAT" },
      select: { id: true, startedAt: true, endedAt: true },
    });
    expect(outages).toHaveLength(1);
    expect(outages[0]!.endedAt.getTime() - outages[0]!.startedAt.getTime()).toBeGreaterThan(OUTAGE_GAP_MS);
    expect(second.log.join("")).toContain("platform outage on record");
    expect(await db().auditEntry.count({ where: { action: "platform.outage_detected", subjectId: outages[0]!.id } })).toBe(1);

    // The window's countdown runs out (server clock of this process moved past its end).
    setClockForTests((session.windowEndsAt as Date).getTime() + 1_000);
    expect((await endDecryptionWindow(host, null)).ok).toBe(true);
    const bids = await db().openingBid.findMany({
      where: { session: { tenderId: f.tender.id } },
      select: { status: true, outcomeDetail: true },
    });
    expect(bids).toHaveLength(3);
    expect(bids.every((b) => b.status === "WITHDRAWN" && b.outcomeDetail === "platform-outage")).toBe(true);
  });
});
