import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { action as newTenderAction } from "~/routes/agent.tenders.new.tsx";
import { action as agentTenderAction } from "~/routes/agent.tenders.$tenderId.tsx";
import { loader as feedLoader } from "~/routes/ocds.releases[.]json.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { releasePackageValidator } from "~/features/ocds/validate.ts";
import type { ReleasePackage } from "~/features/ocds/mapping.ts";
import { ORIGIN, respond } from "../support/requests.ts";
import { args, get, makeActor, makeOrg, post, tenderFields, tinyPdf, upload } from "../fixtures/publication.ts";

const filesDir = await mkdtemp(path.join(tmpdir(), "mb-ocds-"));
process.env.FILES_DIR = filesDir;

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await rm(filesDir, { recursive: true, force: true });
});

async function feed(query: string): Promise<{ status: number; body: ReleasePackage }> {
  const res = await respond(() => feedLoader(args(get(`/ocds/releases.json${query}`))));
  return { status: res.status, body: (await res.json()) as ReleasePackage };
}

describe("OCDS 1.1 release package feed", () => {
  it("publishes real tenders as releases that validate against the official schema, paged by date", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const agent = await makeActor("AGENT", "AGENT");
    const tenderer = await makeOrg("TENDERER", "OCDS 测试招标人");
    const ids: string[] = [];
    for (const lots of [true, false]) {
      const fields = tenderFields(
        tenderer.id,
        lots
          ? {}
          : {
              lotCode: [],
              lotName: [],
              lotPrice: [],
              lotSecurity: [],
              evaluationMethod: "LOWEST_EVALUATED_PRICE",
              procedureType: "SERVICES",
            },
      );
      const created = await respond(() => newTenderAction(args(post("/agent/tenders/new", agent, fields))));
      const id = created.headers.get("Location")!.split("/").pop()!;
      await respond(() =>
        agentTenderAction(
          args(upload(`/agent/tenders/${id}`, agent, { intent: "upload" }, { name: "招标文件.pdf", content: tinyPdf() }), {
            tenderId: id,
          }),
        ),
      );
      expect(
        (
          await respond(() =>
            agentTenderAction(args(post(`/agent/tenders/${id}`, agent, { intent: "publish" }), { tenderId: id })),
          )
        ).status,
      ).toBe(200);
      ids.push(id);
    }
    const clarified = await respond(() =>
      agentTenderAction(
        args(
          upload(
            `/agent/tenders/${ids[0]}`,
            agent,
            { intent: "clarify", title: "澄清", body: "说明" },
            { name: "澄清.pdf", content: tinyPdf("c") },
          ),
          { tenderId: ids[0]! },
        ),
      ),
    );
    expect(clarified.status).toBe(200);
    // A draft never appears.
    await respond(() => newTenderAction(args(post("/agent/tenders/new", agent, tenderFields(tenderer.id)))));

    const { status, body } = await feed(`?since=${encodeURIComponent(since)}`);
    expect(status).toBe(200);
    const validate = releasePackageValidator();
    expect(validate(body), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const ours = body.releases.filter((r) => ids.some((id) => r.ocid === `ocds-mingbiao-${id}`));
    expect(ours.map((r) => r.tag[0])).toEqual(["tender", "tender", "tenderUpdate"]);
    const first = ours[0]!;
    expect(first.tender).toMatchObject({
      value: { amount: 12_860_000.05, currency: "CNY" },
      mainProcurementCategory: "works",
      status: "active",
    });
    expect(first.parties.map((p) => p.roles)).toEqual([["buyer"], ["procuringEntity"]]);
    expect((ours[2]!.tender.documents as { documentType: string }[]).map((d) => d.documentType)).toEqual([
      "biddingDocuments",
      "clarifications",
    ]);
    expect(body.releases.every((r, i, all) => i === 0 || all[i - 1]!.date <= r.date)).toBe(true);

    // Paging: one release per page, following links.next visits them all in order.
    const seen: string[] = [];
    let next: string | undefined = `${ORIGIN}/ocds/releases.json?since=${encodeURIComponent(since)}&limit=1`;
    while (next) {
      const url = new URL(next);
      const page = await feed(url.search);
      expect(validate(page.body)).toBe(true);
      seen.push(...page.body.releases.map((r) => r.id));
      next = page.body.links?.next;
    }
    expect(seen).toEqual(body.releases.map((r) => r.id));
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a malformed query with 400 and a message", async () => {
    const { status } = await feed("?since=yesterday");
    expect(status).toBe(400);
    expect((await db().tender.count()) >= 0).toBe(true);
  });
});
