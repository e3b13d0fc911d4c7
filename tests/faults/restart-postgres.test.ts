// Fault 2 (issue 11 item 3): PostgreSQL restarts (fast shutdown: every connection cut) while 5
// uploads are being finalised and 5 are mid-body. The app server lives on; the failed
// finalisations keep their bytes and every client resumes to its receipt.
import { startApp, until, type AppServer } from "./harness.ts";
import { checkIntegrity, expectIntact, holdAuditLock, makeClients, report, startServices, stopServices } from "./setup.ts";

const services = await startServices();
const apps: AppServer[] = [];

afterAll(async () => {
  await stopServices(services, apps);
});

describe("PostgreSQL restart during finalisation", () => {
  it("loses no bid: the interrupted finalisations run again, mid-body uploads resume, nothing is half-stored", async () => {
    const app = await startApp(services.env);
    apps.push(app);
    const clients = await makeClients(app, 2, 5);
    const finalising = clients.slice(0, 5);
    const midBody = clients.slice(5);

    const lock = await holdAuditLock(services.env.databaseUrl);
    const lastPatches = finalising.map((c) =>
      c.patch(0).then(
        (a) => a.status,
        () => 0,
      ),
    );
    await until("5 finalisations waiting", async () => (await lock.waiting()) >= 5);
    for (const c of midBody) await c.patch(0, Math.floor(c.bytes.length * 0.4));
    await Promise.all(
      midBody.map((c) => c.startStalledPatch(Math.floor(c.bytes.length * 0.4), Math.floor(c.bytes.length * 0.2))),
    );

    services.pg.restart();
    await lock.release();
    // The finalisations that lost their connection answer "come back" (503), never "complete".
    const answers = await Promise.all(lastPatches);
    for (const c of midBody) c.dropStalled();
    const receipts = await Promise.all(clients.map((c) => c.resumeToReceipt()));
    const integrity = await checkIntegrity(services, clients, receipts);
    report("restart-postgres", {
      finalisingAtRestart: finalising.length,
      finalisingAnswers: answers,
      midBodyAtRestart: midBody.length,
      appServerSurvived: app.log.every((l) => !l.includes("exited")) && process.kill(app.pid, 0),
      resumedByClient: clients.filter((c) => c.resumed).length,
      receiptViaPatch: clients.filter((c) => c.via === "patch").length,
      receiptViaEndpoint: clients.filter((c) => c.via === "endpoint").length,
      ...integrity,
    });
    expect(answers.every((status) => status === 503)).toBe(true);
    expectIntact(integrity);
  });
});
