// 评分标准 end to end on the server: the tender form's table reaches the notice, an incomplete
// one is refused with a message a person can act on, a tender without a valid table is never
// published, the migration's conversion of the old free-text lists, and the demo tables.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { action as newTenderAction } from "~/routes/agent.tenders.new.tsx";
import { action as agentTenderAction } from "~/routes/agent.tenders.$tenderId.tsx";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { checkEvaluationConfig } from "~/features/tenders/form.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { testEnv } from "../../scripts/test-env.mjs";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, makeOrg, post, tenderFields, tinyPdf, upload, type Actor } from "../fixtures/publication.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

let agent: Actor;
let tendererId: string;
beforeAll(async () => {
  agent = await makeActor("AGENT", "AGENT");
  tendererId = (await makeOrg("TENDERER", "评分标准测试招标人")).id;
});

const create = (overrides: Record<string, string | string[]>) =>
  respond(() => newTenderAction(args(post("/agent/tenders/new", agent, tenderFields(tendererId, overrides)))));

describe("scoring table (评分标准) on the tender form", () => {
  it("TBL Art 19: refuses a table whose points miss the weight, keeps every row typed, stores nothing", async () => {
    const before = await db().tender.count();
    const res = await create({ criterionPoints: ["45", "20"] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      errors: Record<string, { key: string; params: Record<string, unknown> }>;
      values: Record<string, string[]>;
    };
    expect(body.errors.criteria).toEqual({
      key: "errors.EVALUATION.POINTS_MISMATCH",
      params: { part: "technical", weight: 50, points: 45, article: "TBL Art 19 / Eval-Rules Art 35" },
    });
    expect(body.values.criterionName).toEqual(["施工组织设计", "企业业绩"]);
    expect(await db().tender.count()).toBe(before);
  });

  it("stores the table, publishes it on the notice with the price part, and refuses to publish a tender whose table was lost", async () => {
    const res = await create({});
    expect(res.status).toBe(302);
    const tenderId = res.headers.get("Location")!.split("/").pop()!;
    const stored = await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { evaluationConfig: true } });
    expect(stored.evaluationConfig).toMatchObject({
      criteria: [
        { id: "c1", part: "technical", name: "施工组织设计", maxPoints: 50, guidance: "方案完整可行得 40–50 分" },
        { id: "c2", part: "commercial", name: "企业业绩", maxPoints: 20, guidance: "每项类似业绩 5 分" },
      ],
    });
    await respond(() =>
      agentTenderAction(
        args(upload(`/agent/tenders/${tenderId}`, agent, { intent: "upload" }, { name: "招标文件.pdf", content: tinyPdf() }), {
          tenderId,
        }),
      ),
    );

    // A draft from before the scoring table (free-text criteria) cannot be published.
    const legacy = { ...(stored.evaluationConfig as Record<string, unknown>), criteria: ["施工组织设计", "企业业绩"] };
    await db().tender.update({ where: { id: tenderId }, data: { evaluationConfig: legacy } });
    const refused = await respond(() =>
      agentTenderAction(args(post(`/agent/tenders/${tenderId}`, agent, { intent: "publish" }), { tenderId })),
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { key: string } }).error.key).toBe("errors.EVALUATION.EMPTY_PART");
    expect((await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { status: true } })).status).toBe("DRAFT");

    await db().tender.update({ where: { id: tenderId }, data: { evaluationConfig: stored.evaluationConfig as object } });
    const published = await respond(() =>
      agentTenderAction(args(post(`/agent/tenders/${tenderId}`, agent, { intent: "publish" }), { tenderId })),
    );
    expect(published.status).toBe(200);
    const notice = (await (await respond(() => noticeLoader(args(get(`/tenders/${tenderId}`), { tenderId })))).json()) as {
      notice: { evaluationConfig: { criteria: { name: string; maxPoints: number }[]; weights: { price: number } } };
    };
    expect(notice.notice.evaluationConfig.criteria.map((c) => [c.name, c.maxPoints])).toEqual([
      ["施工组织设计", 50],
      ["企业业绩", 20],
    ]);
    expect(notice.notice.evaluationConfig.weights.price).toBe(30);
    // Moved to the end of the shared test database's public list: the end-to-end tests look for
    // the demo tenders on its first page.
    await db().tender.update({ where: { id: tenderId }, data: { publishedAt: new Date(Date.UTC(2020, 0, 6)) } });
  });

  it("the demo tenders carry valid scoring tables", async () => {
    const demo = await db().tender.findMany({
      where: { code: { in: ["MZ-JS-2026-0158", "MZ-HW-2026-0203"] } },
      select: { evaluationConfig: true },
    });
    expect(demo).toHaveLength(2);
    for (const t of demo) expect(checkEvaluationConfig(t.evaluationConfig)).toBeNull();
  });
});

describe("migration 20261203173000: free-text criteria become a scoring table where possible", () => {
  it("splits each part's weight among its criteria, keeps what cannot be converted, leaves tables alone", async () => {
    const sql = await readFile("prisma/migrations/20261203173000_scoring_table_and_room_devices/migration.sql", "utf8");
    const fn = sql.slice(sql.indexOf("CREATE FUNCTION pg_temp.scoring_table"), sql.indexOf("$$;") + 3);
    const client = new pg.Client({ connectionString: testEnv.MIGRATION_DATABASE_URL });
    await client.connect();
    try {
      await client.query(fn);
      const convert = async (config: unknown) =>
        (await client.query<{ c: unknown }>("SELECT pg_temp.scoring_table($1::jsonb) AS c", [JSON.stringify(config)])).rows[0]!.c;
      const weights = { technical: 70, commercial: 0, price: 30 };
      const priceScoring = { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } };
      const split = (await convert({
        method: "COMPREHENSIVE",
        weights,
        priceScoring,
        criteria: ["施工组织设计", "项目管理机构", "重点难点"],
      })) as { criteria: { maxPoints: number }[] };
      expect(split.criteria.map((c) => c.maxPoints)).toEqual([23.33, 23.33, 23.34]);
      expect(checkEvaluationConfig(split)).toBeNull();
      const mixed = await convert({
        method: "COMPREHENSIVE",
        weights: { technical: 50, commercial: 20, price: 30 },
        priceScoring,
        criteria: ["施工组织设计", "项目管理机构", "企业业绩与信誉"],
      });
      expect(mixed).toMatchObject({
        migrated: true,
        criteria: [
          { part: "technical", maxPoints: 25 },
          { part: "technical", maxPoints: 25 },
          { part: "commercial", name: "企业业绩与信誉", maxPoints: 20 },
        ],
      });
      expect(checkEvaluationConfig(mixed)).toBeNull();
      // Nothing names a commercial factor although the part has weight: kept, and refused at publication.
      const impossible = await convert({
        method: "COMPREHENSIVE",
        weights: { technical: 50, commercial: 20, price: 30 },
        priceScoring,
        criteria: ["施工组织设计"],
      });
      expect(impossible).toMatchObject({ criteria: [], legacyCriteria: ["施工组织设计"] });
      expect(checkEvaluationConfig(impossible)?.code).toBe("EVALUATION.EMPTY_PART");
      expect(await convert({ method: "LOWEST_EVALUATED_PRICE", criteria: ["工期"] })).toEqual({
        method: "LOWEST_EVALUATED_PRICE",
        adjustments: [],
        legacyCriteria: ["工期"],
      });
      const table = {
        method: "COMPREHENSIVE",
        weights,
        priceScoring,
        criteria: [{ id: "c1", part: "technical", name: "a", maxPoints: 70, guidance: "g" }],
      };
      expect(await convert(table)).toEqual(table);
    } finally {
      await client.end();
    }
  });
});
