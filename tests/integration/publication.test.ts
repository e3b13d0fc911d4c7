import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { action as newTenderAction } from "~/routes/agent.tenders.new.tsx";
import { action as agentTenderAction, loader as agentTenderLoader } from "~/routes/agent.tenders.$tenderId.tsx";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { loader as downloadLoader } from "~/routes/tenders.$tenderId.documents.$documentId.ts";
import { loader as notificationsLoader, action as notificationsAction } from "~/routes/notifications.tsx";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { getUser } from "~/platform/auth/auth.server.ts";
import { holderList, issueClarification } from "~/features/tenders/agent.server.ts";
import { parseBeijingLocal, toBeijingLocal } from "~/features/tenders/beijing-time.ts";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, makeOrg, post, tenderFields, tinyPdf, upload, type Actor } from "../fixtures/publication.ts";
import zhTender from "~/ui/locales/zh-CN/tender.json";
import enTender from "~/ui/locales/en/tender.json";

const filesDir = await mkdtemp(path.join(tmpdir(), "mb-files-"));
process.env.FILES_DIR = filesDir;

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await rm(filesDir, { recursive: true, force: true });
});

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(filesDir).catch(() => []);
  const tmp = await readdir(path.join(filesDir, "tmp")).catch(() => []);
  return [...entries.filter((e) => e !== "tmp"), ...tmp.map((t) => `tmp/${t}`)];
}

let agent: Actor;
let tendererId: string;

beforeAll(async () => {
  agent = await makeActor("AGENT", "AGENT");
  tendererId = (await makeOrg("TENDERER", "测试招标人")).id;
});

async function createDraft(overrides: Record<string, string | string[]> = {}): Promise<string> {
  const res = await respond(() => newTenderAction(args(post("/agent/tenders/new", agent, tenderFields(tendererId, overrides)))));
  expect(res.status).toBe(302);
  return res.headers.get("Location")!.split("/").pop()!;
}

async function attach(tenderId: string, content = tinyPdf(), name = "招标文件.pdf"): Promise<Response> {
  return respond(() =>
    agentTenderAction(args(upload(`/agent/tenders/${tenderId}`, agent, { intent: "upload" }, { name, content }), { tenderId })),
  );
}

async function publish(tenderId: string): Promise<Response> {
  return respond(() => agentTenderAction(args(post(`/agent/tenders/${tenderId}`, agent, { intent: "publish" }), { tenderId })));
}

describe("tender publication (agent)", () => {
  it("refuses a schedule that violates TBL Art 24, citing the article, and stores nothing", async () => {
    const fields = tenderFields(tendererId);
    // 10 days after the first issue: TBL Art 24 asks for 20.
    const tooEarly = {
      ...fields,
      bidDeadline: toBeijingLocal(new Date(parseBeijingLocal(fields.docsIssueAt)!.getTime() + 10 * 86_400_000)),
    };
    const res = await respond(() => newTenderAction(args(post("/agent/tenders/new", agent, tooEarly))));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, { key: string; params: Record<string, unknown> }> };
    expect(body.errors.bidDeadline).toMatchObject({
      key: "errors.TENDER.DEADLINE_TOO_SOON",
      params: { article: "TBL Art 24", required: 20 },
    });
    expect(await db().tender.count({ where: { code: fields.code } })).toBe(0);
  });

  it("creates a draft from the form (fen, Beijing time, 唱标 items, lots, evaluation) with its audit entry", async () => {
    const fields = tenderFields(tendererId);
    const id = await createDraft({ code: fields.code });
    const row = await db().tender.findUniqueOrThrow({ where: { id }, include: { lots: true } });
    expect(row).toMatchObject({
      status: "DRAFT",
      estimatedPriceCents: 1_286_000_005n,
      bidSecurityCents: 20_000_000n,
      agentOrgId: agent.organizationId,
    });
    expect(row.readOutItems).toEqual([
      { key: "price", label: "投标报价", kind: "money" },
      { key: "item1", label: "工期", kind: "days" },
      { key: "item2", label: "质量标准", kind: "text" },
    ]);
    expect(row.lots).toHaveLength(1);
    expect(await db().auditEntry.count({ where: { action: "tender.created", subjectId: id } })).toBe(1);
  });

  it("refuses a non-PDF, an empty and an oversize upload, leaving no row and no file", async () => {
    const id = await createDraft();
    const before = await storedFiles();
    const notPdf = await attach(id, new TextEncoder().encode("<html>not a pdf</html>"), "fake.pdf");
    expect(notPdf.status).toBe(400);
    expect(((await notPdf.json()) as { error: { key: string } }).error.key).toBe("upload.notPdf");
    const empty = await attach(id, new Uint8Array(0), "empty.pdf");
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { key: string } }).error.key).toBe("upload.empty");
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode("%PDF-1.4\n"));
    const oversize = await attach(id, big, "big.pdf");
    expect(oversize.status).toBe(413);
    expect(await db().tenderDocument.count({ where: { tenderId: id } })).toBe(0);
    expect(await storedFiles()).toEqual(before);
    // A refused CSRF token also discards the staged file.
    const forged = await respond(() =>
      agentTenderAction(
        args(
          upload(
            `/agent/tenders/${id}`,
            { ...agent, csrf: "forged" },
            { intent: "upload" },
            { name: "a.pdf", content: tinyPdf() },
          ),
          { tenderId: id },
        ),
      ),
    );
    expect(forged.status).toBe(403);
    expect(await storedFiles()).toEqual(before);
  });

  it("publishes only with documents; publication, download, holder list confidentiality, late clarification, notifications", async () => {
    const id = await createDraft();
    const refused = await publish(id);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { key: string } }).error.key).toBe("invalid.documentsRequired");

    const pdf = tinyPdf("tender documents");
    expect((await attach(id, pdf)).status).toBe(200);
    const doc = await db().tenderDocument.findFirstOrThrow({ where: { tenderId: id } });
    const sha = createHash("sha256").update(pdf).digest("hex");
    expect(doc).toMatchObject({ sha256: sha, storageKey: sha, sizeBytes: BigInt(pdf.byteLength), kind: "TENDER_DOCUMENTS" });
    expect(await readFile(path.join(filesDir, sha))).toEqual(Buffer.from(pdf));

    expect((await publish(id)).status).toBe(200);
    const published = await db().tender.findUniqueOrThrow({ where: { id } });
    expect(published.status).toBe("PUBLISHED");
    expect(await db().auditEntry.count({ where: { action: "tender.published", subjectId: id } })).toBe(1);
    // Publishing twice is refused by the lifecycle.
    expect((await publish(id)).status).toBe(409);

    // Public notice: visible without login, with the document listed.
    const notice = await respond(() => noticeLoader(args(get(`/tenders/${id}`), { tenderId: id })));
    const noticeBody = (await notice.json()) as { notice: { documents: { id: string }[]; status: string } };
    expect(noticeBody.notice.documents.map((d) => d.id)).toEqual([doc.id]);

    // Download: the public is sent to sign in; an expert is refused; a bidder gets the file, recorded.
    const params = { tenderId: id, documentId: doc.id };
    const anonymous = await respond(() => downloadLoader(args(get(`/tenders/${id}/documents/${doc.id}`), params)));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    const expert = await makeActor("EXPERT", "EXPERT_EMPLOYER");
    expect((await respond(() => downloadLoader(args(get(`/x`, expert.cookie), params)))).status).toBe(403);
    const bidder = await makeActor("BIDDER", "BIDDER");
    const colleague = await makeActor("BIDDER", "BIDDER", bidder.organizationId);
    const file = await respond(() => downloadLoader(args(get(`/x`, bidder.cookie), params)));
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Disposition")).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent("招标文件.pdf")}`,
    );
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(pdf));
    expect(await db().documentDownload.count({ where: { tenderId: id, organizationId: bidder.organizationId } })).toBe(1);
    expect(await db().auditEntry.count({ where: { action: "tender.document_downloaded", subjectId: id } })).toBe(1);

    // TBL Art 22: the holder list is hidden before the deadline and shown after it.
    const page = await respond(() => agentTenderLoader(args(get(`/agent/tenders/${id}`, agent.cookie), { tenderId: id })));
    expect(((await page.json()) as { holders: { disclosable: boolean } }).holders).toEqual({ disclosable: false });
    const after = await holderList({ id, bidDeadline: published.bidDeadline }, new Date(published.bidDeadline!.getTime()));
    expect(after.disclosable && after.holders.map((h) => h.organizationId)).toEqual([bidder.organizationId]);

    // A clarification with enough time left keeps the deadline (through the route action).
    const early = await respond(() =>
      agentTenderAction(
        args(
          upload(`/agent/tenders/${id}`, agent, {
            intent: "clarify",
            title: "答疑一",
            body: "补充说明。",
            affectsPreparation: "on",
          }),
          { tenderId: id },
        ),
      ),
    );
    expect(early.status).toBe(200);
    // TBL Art 22: the agent learns that every holder was notified, never how many there are.
    const earlyIssued = ((await early.json()) as { issued: Record<string, unknown> }).issued;
    expect(earlyIssued).toMatchObject({ deadlineMoved: false });
    expect(Object.keys(earlyIssued).sort()).toEqual(["bidDeadline", "deadlineMoved", "number", "previousDeadline"]);
    for (const messages of [zhTender, enTender]) {
      const { deadlineMoved, deadlineKept } = messages.clarification;
      expect(`${deadlineMoved} ${deadlineKept}`.match(/\{\{\w+\}\}/g)?.sort()).toEqual([
        "{{from}}",
        "{{number}}",
        "{{number}}",
        "{{to}}",
      ]);
    }

    // Regs Art 21: a late clarification (10 days before the deadline) moves it so 15 full days remain.
    const user = (await getUser(get("/", agent.cookie)))!;
    const issuedAt = new Date(published.bidDeadline!.getTime() - 10 * 86_400_000);
    const late = await issueClarification(
      user,
      id,
      { title: "工程量清单修正", body: "第三章修正。", affectsPreparation: true },
      null,
      issuedAt,
    );
    if (!late.ok) throw new Error(JSON.stringify(late.refusal));
    expect(late.value.deadlineMoved).toBe(true);
    expect(late.value.previousDeadline).toEqual(published.bidDeadline);
    expect(late.value.bidDeadline.getTime() - issuedAt.getTime()).toBeGreaterThanOrEqual(15 * 86_400_000);
    const moved = await db().tender.findUniqueOrThrow({ where: { id } });
    expect(moved).toMatchObject({ status: "CLARIFICATION", bidDeadline: late.value.bidDeadline });
    const audit = await db().auditEntry.findFirstOrThrow({
      where: { action: "tender.clarified", subjectId: id },
      orderBy: { seq: "desc" },
    });
    expect(audit.data).toMatchObject({ number: 2, deadlineMoved: true });
    // The agent may read the audit log: no count of holders or of notified users in it.
    expect(Object.keys(audit.data as object).filter((k) => /notified|holder|count/i.test(k))).toEqual([]);

    // Every user of every holder organisation is notified; the notifications page lists and marks them.
    expect(
      await db().notification.count({
        where: { userId: { in: [bidder.userId, colleague.userId] }, kind: "tender.clarification" },
      }),
    ).toBe(4);
    const list = await respond(() => notificationsLoader(args(get("/notifications", bidder.cookie))));
    const items = ((await list.json()) as { notifications: { id: string; params: { deadlineMoved: boolean }; read: boolean }[] })
      .notifications;
    expect(items[0]!.params.deadlineMoved).toBe(true);
    const marked = await respond(() => notificationsAction(args(post("/notifications", bidder, { intent: "read-all" }))));
    expect(((await marked.json()) as { marked: number }).marked).toBe(2);
    // Another user's notification ids are never touched.
    const other = await respond(() =>
      notificationsAction(args(post("/notifications", colleague, { intent: "read", id: items[0]!.id }))),
    );
    expect(((await other.json()) as { marked: number }).marked).toBe(0);

    // After the deadline no clarification can be issued (Regs Art 21).
    const tooLate = await issueClarification(
      user,
      id,
      { title: "x", body: "y", affectsPreparation: false },
      null,
      new Date(late.value.bidDeadline.getTime() + 1),
    );
    expect(!tooLate.ok && tooLate.refusal.code).toBe("tender.errors.CLARIFICATION.AFTER_DEADLINE");
  });

  it("edits a draft through the save intent (audited), and refuses edits once published", async () => {
    const id = await createDraft();
    const fields = tenderFields(tendererId, {
      title: "修改后的项目名称",
      readOutLabel: ["工期"],
      readOutKind: ["days"],
      lotCode: [],
      lotName: [],
      lotPrice: [],
      lotSecurity: [],
    });
    const current = await db().tender.findUniqueOrThrow({ where: { id } });
    const save = (extra: Record<string, string | string[]> = {}) =>
      respond(() =>
        agentTenderAction(
          args(post(`/agent/tenders/${id}`, agent, { ...fields, code: current.code, intent: "save", ...extra }), {
            tenderId: id,
          }),
        ),
      );
    expect((await save()).status).toBe(200);
    const edited = await db().tender.findUniqueOrThrow({ where: { id }, include: { lots: true } });
    expect(edited.title).toBe("修改后的项目名称");
    expect(edited.lots).toHaveLength(0);
    expect(await db().auditEntry.count({ where: { action: "tender.updated", subjectId: id } })).toBe(1);
    const invalid = await save({ weightPrice: "45" });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: Record<string, { key: string }> }).errors.weights?.key).toBe(
      "errors.EVALUATION.INVALID_WEIGHTS",
    );

    expect((await attach(id)).status).toBe(200);
    expect((await publish(id)).status).toBe(200);
    const afterPublish = await save({ title: "发布后不能改" });
    expect(afterPublish.status).toBe(409);
    expect((await db().tender.findUniqueOrThrow({ where: { id } })).title).toBe("修改后的项目名称");
    // Documents can no longer be attached either: changes go out as clarifications.
    const before = await storedFiles();
    expect((await attach(id, tinyPdf("late"))).status).toBe(409);
    expect(await storedFiles()).toEqual(before);
  });

  it("another agent organisation can neither see nor change the tender", async () => {
    const id = await createDraft();
    const stranger = await makeActor("AGENT", "AGENT");
    const res = await respond(() => agentTenderLoader(args(get(`/agent/tenders/${id}`, stranger.cookie), { tenderId: id })));
    expect(res.status).toBe(404);
    const bidder = await makeActor("BIDDER", "BIDDER");
    expect(
      (await respond(() => agentTenderLoader(args(get(`/agent/tenders/${id}`, bidder.cookie), { tenderId: id })))).status,
    ).toBe(403);
  });
});
