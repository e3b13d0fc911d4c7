import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { signIn, sql } from "./support.ts";
import { startServer, type TestServer } from "../support/server.ts";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { ReleasePackage } from "../../app/features/ocds/mapping.ts";

/**
 * Public results (issue 17 item 4): the public finds a result in /results and reads the tender's
 * history; a complaint about a result whose acceptance deadline crosses New Year 2027, counted
 * on the calendar the admin entered, decided and published on that history.
 */

/** A copy of the demo works tender under a fresh code, in the given status and publication time. */
async function tenderCopy(
  status: string,
  publishedAt: Date,
  title: string,
): Promise<{ id: string; code: string; title: string }> {
  const code = `E2E-RP-${randomBytes(3).toString("hex").toUpperCase()}`;
  const [row] = await sql<{ id: string; code: string; title: string }>(
    `INSERT INTO tender (id, code, title, description, region, procedure_type, mandatory, status, estimated_price_cents, bid_security_cents,
       tenderer_org_id, agent_org_id, created_by_id, docs_issue_at, docs_available_until, bid_deadline, published_at,
       read_out_items, qualification_requirements, evaluation_method, evaluation_config, updated_at)
     SELECT gen_random_uuid(), $1, $2 || ' ' || $1, description, region, procedure_type, mandatory, $3::"TenderStatus", estimated_price_cents, bid_security_cents,
       tenderer_org_id, agent_org_id, created_by_id, $4::timestamptz, $4::timestamptz + interval '7 days', $4::timestamptz + interval '21 days', $4::timestamptz,
       read_out_items, qualification_requirements, evaluation_method, evaluation_config, $4::timestamptz
     FROM tender WHERE code = 'MZ-JS-2026-0158'
     RETURNING id, code, title`,
    [code, title, status, publishedAt],
  );
  await sql(
    `INSERT INTO tender_supervisor (tender_id, user_id, assigned_by_id)
     SELECT $1, s.id, a.id FROM app_user s, app_user a WHERE s.email = 'supervisor@demo.mingbiao.cn' AND a.email = 'admin@demo.mingbiao.cn'`,
    [row!.id],
  );
  return row!;
}

/** The candidate publicity as the publicity feature publishes it (decision 113): the three demo bidders in rank. */
async function publishCandidates(tenderId: string, publishedAt: Date, endsAt: Date): Promise<void> {
  await sql(
    `INSERT INTO candidate_publicity (id, tender_id, report_sha256, report_received_at, published_at, published_by_id, starts_at, ends_at, candidates, committee)
     SELECT gen_random_uuid(), $1, repeat('ab', 32), $2::timestamptz - interval '1 day', $2, a.id, $2, $3,
            (SELECT json_agg(json_build_object('rank', n, 'bidderOrgId', o.id, 'name', o.name,
                     'readOut', json_build_object('price', (1000000000 + n * 1000000)::text),
                     'priceCents', (1000000000 + n * 1000000)::text, 'score', (95 - n)::text) ORDER BY n)
               FROM (SELECT u.organization_id, row_number() OVER (ORDER BY u.email) AS n FROM app_user u
                      WHERE u.email IN ('bidder1@demo.mingbiao.cn', 'bidder2@demo.mingbiao.cn', 'bidder3@demo.mingbiao.cn')) b
               JOIN organization o ON o.id = b.organization_id),
            '[{"name":"专家甲","role":"chair","specialty":null}]'::jsonb
       FROM app_user a WHERE a.email = 'agent@demo.mingbiao.cn'`,
    [tenderId, publishedAt, endsAt],
  );
}

/** A result objection of demo bidder 1, already answered by the demo agent (as features/objections leaves it). */
async function answeredResultObjection(tenderId: string, raisedAt: Date, answeredAt: Date, answer: string): Promise<void> {
  await sql(
    `INSERT INTO objection (id, tender_id, target, objector_org_id, objector_user_id, reasons, raised_at, status, answer, answered_at, answered_by_id, deadline_action)
     SELECT gen_random_uuid(), $1, 'result', b.organization_id, b.id, '第一中标候选人业绩证明材料不实，请求复核。', $2, 'ANSWERED', $4, $3, a.id, 'keep'
       FROM app_user b, app_user a WHERE b.email = 'bidder1@demo.mingbiao.cn' AND a.email = 'agent@demo.mingbiao.cn'`,
    [tenderId, raisedAt, answeredAt, answer],
  );
}

/** The award to the first candidate, and the contract when `contractAt` is given (as features/results' award part records them). */
async function awardFirstCandidate(tenderId: string, at: Date, contractAt: Date | null = null): Promise<string> {
  const [row] = await sql<{ winner: string }>(
    `INSERT INTO award (id, tender_id, winner_org_id, winner_name, winner_rank, price_cents, confirmed_at, confirmed_by_id, result_notice_at,
                        contract_signed_at, contract_amount_cents, contract_recorded_at, contract_recorded_by_id)
     SELECT gen_random_uuid(), $1, (c->>'bidderOrgId')::uuid, c->>'name', 1, (c->>'priceCents')::bigint, $2, a.id, $2,
            $3, CASE WHEN $3::timestamptz IS NOT NULL THEN (c->>'priceCents')::bigint END, $3, CASE WHEN $3::timestamptz IS NOT NULL THEN a.id END
       FROM candidate_publicity p, jsonb_array_elements(p.candidates) c, app_user a
      WHERE p.tender_id = $1 AND (c->>'rank')::int = 1 AND a.email = 'agent@demo.mingbiao.cn'
     RETURNING winner_name AS winner`,
    [tenderId, at, contractAt],
  );
  return row!.winner;
}

async function signedInAt(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await signIn(page, email);
  return page;
}

const DAY = 24 * 3_600_000;

/** The feed's validator (app/features/ocds/validate.ts), over the same schema files (Playwright's loader takes no JSON imports). */
function releasePackageValidator() {
  const schema = (name: string) =>
    JSON.parse(fs.readFileSync(new URL(`../../app/features/ocds/schema/${name}`, import.meta.url), "utf8")) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema("release-schema.json"));
  return ajv.compile(schema("release-package-schema.json"));
}

test.describe("public results", () => {
  test("the public opens 结果公示, searches, opens a tender and reads its history", async ({ browser }) => {
    const now = Date.now();
    const tender = await tenderCopy("AWARDED", new Date(now - 40 * DAY), "结果公示演示道路工程");
    await publishCandidates(tender.id, new Date(now - 6 * DAY), new Date(now - 3 * DAY));
    await answeredResultObjection(
      tender.id,
      new Date(now - 5 * DAY),
      new Date(now - 4 * DAY),
      "经复核，业绩证明材料真实有效，维持评标结果。",
    );
    const winner = await awardFirstCandidate(tender.id, new Date(now - 2 * DAY), new Date(now - DAY));

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto("/");
    await visitor.getByRole("navigation", { name: "main" }).getByRole("link", { name: "结果公示" }).click();
    await expect(visitor.getByRole("heading", { name: "结果公示" })).toBeVisible();
    await visitor.getByLabel("项目名称或编号").fill(tender.code);
    await visitor.getByRole("button", { name: "搜索" }).click();
    await expect(visitor).toHaveURL(new RegExp(`q=${tender.code}`));
    const rows = visitor.getByTestId("result-notice");
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("中标结果公告");
    await expect(rows.first()).toContainText(winner);
    await expect(rows.nth(1)).toContainText("中标候选人公示");

    // Only the result notice when filtering for awarded tenders.
    await visitor.getByLabel("公示类型").selectOption({ label: "已中标" });
    await visitor.getByRole("button", { name: "搜索" }).click();
    await expect(rows).toHaveCount(1);

    await rows.first().getByRole("link", { name: tender.title }).click();
    await expect(visitor.getByRole("heading", { name: tender.title })).toBeVisible();
    const history = visitor.getByTestId("tender-history");
    await expect(history.getByTestId("history-notice")).toContainText("发布招标公告");
    await expect(history.getByTestId("history-publicity")).toContainText("公示期");
    await expect(history.getByTestId("history-publicity").getByRole("link", { name: "查看中标候选人公示" })).toHaveAttribute(
      "href",
      `/tenders/${tender.id}/candidates`,
    );
    await expect(history.getByTestId("history-objection")).toContainText("维持评标结果");
    await expect(history.getByTestId("history-award")).toContainText(winner);
    await expect(history.getByTestId("history-award").getByRole("link", { name: "查看中标结果公告" })).toHaveAttribute(
      "href",
      `/tenders/${tender.id}/result`,
    );
    // In order: notice, publicity, objection answer, award, contract; and never the objector's reasons.
    expect(await history.locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-kind")))).toEqual([
      "notice",
      "publicity",
      "objection",
      "award",
      "contract",
    ]);
    await expect(history.getByTestId("history-contract")).toContainText("合同签订日期");
    await expect(visitor.getByText("业绩证明材料不实")).toHaveCount(0);

    // The OCDS feed carries the tender's award and contract releases, and every page validates.
    const validate = releasePackageValidator();
    const ours: ReleasePackage["releases"] = [];
    let next: string | null = `/ocds/releases.json?since=${encodeURIComponent(new Date(now - 41 * DAY).toISOString())}`;
    while (next) {
      const res = await visitor.request.get(next);
      expect(res.status()).toBe(200);
      const pkg = (await res.json()) as ReleasePackage;
      const valid = validate(pkg);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      ours.push(...pkg.releases.filter((r) => r.ocid.endsWith(tender.id)));
      next = pkg.links?.next ? new URL(pkg.links.next).pathname + new URL(pkg.links.next).search : null;
    }
    expect(ours.map((r) => r.tag[0])).toEqual(["tender", "award", "award", "contract"]);
    expect(ours[2]!.awards![0]).toMatchObject({ status: "active", suppliers: [{ name: winner }] });
    expect(ours[3]!.contracts![0]).toMatchObject({ awardID: "award-1", status: "active" });
  });
});

// The app server of the New Year test runs with its wall clock at Wednesday 30 December 2026,
// 10:00 Beijing time (libfaketime, as the moved-clock unit run), whatever today's date is; it
// shares the test database and Redis with the other specs' server.
const FAKE_START = "2026-12-30 02:00:00"; // UTC
const LIBFAKETIME = [
  "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/faketime/libfaketime.so.1",
].find((p) => fs.existsSync(p));

test.describe("a complaint across New Year 2027", () => {
  let server: TestServer;
  test.beforeAll(async () => {
    if (!LIBFAKETIME) throw new Error("libfaketime is not installed (`apt-get install faketime`; the test set-up installs it)");
    server = await startServer({
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME: `@${FAKE_START}`,
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
      FAKETIME_DONT_RESET: "1",
      TZ: "UTC",
      // Its clock is not the real one: its beats would put an outage from now to 30 December on
      // record and the heartbeat row weeks ahead of every real server (decision 091).
      HEARTBEAT_ENABLED: "false",
    });
  });
  test.afterAll(async () => {
    await server?.stop();
    // Nothing of the faked clock may stay in the shared database: an outage it recorded would
    // overlap every later decryption window (撤回), a heartbeat row at its time would be ahead of
    // every real server's beat.
    await sql("DELETE FROM platform_outage WHERE source = 'HEARTBEAT' AND ended_at >= $1::timestamptz", [`${FAKE_START}Z`]);
    await sql("UPDATE platform_heartbeat SET beat_at = now() WHERE beat_at >= $1::timestamptz", [`${FAKE_START}Z`]);
  });

  test("admin enters 2027 → bidder complains about the result → due date on the admin's calendar → accepted, decided → published in the history", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const health = await (await fetch(`${server.url}/healthz`)).json().catch(() => null);
    expect(health).not.toBeNull();
    const tender = await tenderCopy("PUBLICITY", new Date("2026-11-20T02:00:00Z"), "元旦跨年投诉演示工程");
    await publishCandidates(tender.id, new Date("2026-12-23T02:00:00Z"), new Date("2026-12-28T15:59:59Z"));
    await answeredResultObjection(
      tender.id,
      new Date("2026-12-24T02:00:00Z"),
      new Date("2026-12-28T06:00:00Z"),
      "经复核，第一中标候选人业绩真实，维持评标结果。",
    );

    // The trading centre enters the State Council's 2027 notice: 1-3 January off.
    const admin = await signedInAt(browser, server.url, "admin@demo.mingbiao.cn");
    await admin.getByRole("link", { name: "节假日日历" }).click();
    await admin.getByLabel("年份").fill("2027");
    await admin.getByLabel("通知文号或网址").fill("国办发明电〔2026〕E2E号");
    await admin.getByLabel(/^日期/).fill("2027-01-01~2027-01-03 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节");
    await admin.getByRole("button", { name: "保存并重算期限" }).click();
    await expect(admin.getByTestId("calendar-saved")).toBeVisible();
    await expect(admin.getByTestId("year-2027")).toContainText("国办发明电〔2026〕E2E号");

    // Bidder 1, not satisfied with the answer, complains from its objection on 30 December.
    const bidder = await signedInAt(browser, server.url, "bidder1@demo.mingbiao.cn");
    await bidder.goto(`/tenders/${tender.id}/objections`);
    await bidder.getByTestId("objection").first().getByRole("link", { name: "查看" }).click();
    await bidder.getByRole("link", { name: "对答复不满意？向行政监督部门投诉" }).click();
    await bidder.locator(`select[name="matter"]`).selectOption({ label: "评标结果" });
    await bidder
      .getByLabel("投诉事项、事实与理由")
      .fill("第一中标候选人提交的业绩合同与工程所在地备案信息不符，招标人答复未予核实，请求依法查处。");
    await bidder.getByRole("button", { name: "提交投诉" }).click();
    await expect(bidder.getByTestId("complaint-status")).toContainText("待受理");
    await expect(bidder.getByTestId("complaint-status")).toContainText("2026/12/30");

    // 3 working days from Wed 30 Dec on the admin's calendar: Thu 31, (1-3 Jan off), Mon 4, Tue 5.
    // (Counted on weekends alone it would be Mon 4 January, provisional.)
    const supervisor = await signedInAt(browser, server.url, "supervisor@demo.mingbiao.cn");
    await supervisor.getByRole("link", { name: "投诉处理" }).click();
    const listed = supervisor.getByTestId("complaint").filter({ hasText: tender.title });
    await expect(listed).toContainText("2027/01/05");
    await listed.getByRole("link", { name: "查看" }).click();
    await expect(supervisor.getByTestId("complaint-due")).toContainText("2027/01/05 23:59");
    await expect(supervisor.getByTestId("complaint-due").getByTestId("provisional")).toHaveCount(0);

    await supervisor.getByRole("button", { name: "受理", exact: true }).click();
    await expect(supervisor.getByTestId("complaint-status")).toContainText("已受理");
    await supervisor.getByLabel("驳回投诉").check();
    await supervisor
      .getByLabel("处理决定书内容")
      .fill("经调取备案信息核查，第一中标候选人业绩合同真实有效，投诉缺乏事实根据，驳回投诉。");
    await supervisor.getByRole("button", { name: "作出处理决定" }).click();
    await expect(supervisor.getByTestId("decision")).toContainText("驳回投诉");

    // The public reads the decision in the tender's history, after the objection's answer.
    const visitor = await (await browser.newContext({ baseURL: server.url })).newPage();
    await visitor.goto(`/tenders/${tender.id}`);
    const history = visitor.getByTestId("tender-history");
    await expect(history.getByTestId("history-complaint")).toContainText("驳回投诉");
    await expect(history.getByTestId("history-complaint")).toContainText("投诉缺乏事实根据");
    expect(await history.locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-kind")))).toEqual([
      "notice",
      "publicity",
      "objection",
      "complaint",
    ]);
    // Neither the complainant's reasons nor its name are published.
    await expect(visitor.getByText("备案信息不符")).toHaveCount(0);
  });
});
