import { expect, test } from "@playwright/test";
import { evaluationWitness } from "./evaluation-session.ts";
import { signedIn, sql } from "./support.ts";

const CODE = "MZ-JS-2026-0158";

test.describe("digital witnessing (数字见证)", () => {
  test("the session opens the centre's room, its device publishes, the assigned supervisor watches and plays back with the evidence timeline; others are refused", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const [row] = await sql<{ id: string }>("SELECT id FROM tender WHERE code = $1", [CODE]);
    const tenderId = row?.id ?? "";
    // A room is witnessed once per tender; a re-run against the same database starts afresh
    // (its recording, like the audit log, keeps what earlier runs recorded).
    await sql("UPDATE tender SET witness_opened_at = NULL, witness_closed_at = NULL WHERE id = $1", [tenderId]);

    // The trading centre decides who supervises: removed, the supervisor is refused; assigned, let in.
    const admin = await signedIn(browser, "admin@demo.mingbiao.cn");
    await admin.getByRole("link", { name: "监督人员指派" }).click();
    await expect(admin.getByRole("heading", { name: "监督人员指派" })).toBeVisible();
    const assignRow = admin.getByTestId(`assign-${CODE}`);
    await expect(assignRow).toBeVisible();
    if ((await assignRow.getByRole("button", { name: "移除" }).count()) > 0) {
      await assignRow.getByRole("button", { name: "移除" }).click();
      await expect(assignRow.getByText("尚未指派")).toBeVisible();
    }
    const supervisor = await signedIn(browser, "supervisor@demo.mingbiao.cn");
    expect((await supervisor.goto(`/witness/${tenderId}`))?.status()).toBe(403);
    await assignRow.getByLabel("选择监督人员").selectOption({ label: "周监督 (supervisor@demo.mingbiao.cn)" });
    await assignRow.getByRole("button", { name: "指派" }).click();
    await expect(assignRow.getByText("周监督 (supervisor@demo.mingbiao.cn)")).toBeVisible();

    // The room belongs to the trading centre (decision 037, revised): the agent can neither run
    // its devices nor start or end it; before the session opens it, a device cannot join.
    const agent = await signedIn(browser, "agent@demo.mingbiao.cn");
    expect((await agent.goto(`/witness/${tenderId}/device?device=camera-1`))?.status()).toBe(403);
    await agent.goto(`/agent/tenders/${tenderId}`);
    await expect(agent.getByTestId("witness-state")).toHaveText("评标室见证尚未开启");
    await expect(agent.getByTestId("witness-panel").getByRole("button")).toHaveCount(0);
    const device = await signedIn(browser, "device@demo.mingbiao.cn");
    await device.goto(`/witness/${tenderId}/device?device=camera-1`);
    await expect(device.getByTestId("device-not-open")).toBeVisible();

    // The evaluation session opens the room (here its stand-in calls the same function).
    expect(await evaluationWitness("open", tenderId)).toEqual({ ok: true });
    await agent.reload();
    await expect(agent.getByTestId("witness-state")).toHaveText("评标室见证进行中");

    // The room's camera, from the centre's devices page: the browser's (fake) camera and microphone publish.
    await device.getByRole("link", { name: "评标室设备" }).first().click();
    await device.getByTestId("device-tender").filter({ hasText: CODE }).getByRole("link", { name: "接入摄像头 1" }).click();
    await expect(device.getByText("正在直播")).toBeVisible({ timeout: 30_000 });

    // The supervisor finds the tender on their list and watches: frames decode, time advances.
    await supervisor.goto("/witness");
    const listed = supervisor.getByTestId("supervised-tender").filter({ hasText: CODE });
    await expect(listed).toContainText("评标室见证进行中");
    await listed.getByRole("link", { name: "实时见证" }).click();
    const video = supervisor.locator("video").first();
    await expect(video).toBeVisible({ timeout: 30_000 });
    await expect
      .poll(async () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames), {
        timeout: 30_000,
      })
      .toBeGreaterThan(10);
    // Live: the picture's time runs on. Sampled in pairs, so a re-subscription under load (a new
    // track starts its own timeline at 0) does not read as a frozen stream; a frozen one fails.
    await expect
      .poll(
        async () => {
          const t1 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
          await supervisor.waitForTimeout(1000);
          const t2 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
          return t2 - t1;
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0.5);

    // Nobody else may watch: a bidder gets 403, the public is sent to sign in.
    const bidder = await signedIn(browser, "bidder2@demo.mingbiao.cn");
    expect((await bidder.goto(`/witness/${tenderId}`))?.status()).toBe(403);
    expect((await bidder.goto(`/witness/${tenderId}/recording`))?.status()).toBe(403);
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`/witness/${tenderId}`);
    await expect(anonymous).toHaveURL(/\/login\?redirectTo=/);

    // While the room records, something happens on the tender: a bidder downloads the documents.
    await device.waitForTimeout(3000);
    const [doc] = await sql<{ id: string }>(
      "SELECT id FROM tender_document WHERE tender_id = $1 AND kind = 'TENDER_DOCUMENTS' LIMIT 1",
      [tenderId],
    );
    expect((await bidder.request.get(`/tenders/${tenderId}/documents/${doc?.id ?? ""}`)).status()).toBe(200);
    const [downloaded] = await sql<{ at: Date }>(
      "SELECT at FROM audit_entry WHERE action = 'tender.document_downloaded' AND subject_id = $1 ORDER BY seq DESC LIMIT 1",
      [tenderId],
    );
    expect(downloaded).toBeDefined();

    // Let a few more seconds be recorded; signing the report ends witnessing (the session's stand-in again).
    await device.waitForTimeout(4000);
    expect(await evaluationWitness("close", tenderId)).toEqual({ ok: true });
    await agent.reload();
    await expect(agent.getByTestId("witness-state")).toHaveText("评标室见证已结束");
    expect(await evaluationWitness("open", tenderId)).toEqual({ ok: false, error: "ALREADY_ENDED" });

    // The recording verifies against the audit log and plays back as one continuous video.
    await supervisor.goto("/witness");
    await supervisor.getByTestId("supervised-tender").filter({ hasText: CODE }).getByRole("link", { name: "录像回放" }).click();
    await expect(supervisor.getByTestId("recording-verified")).toBeVisible({ timeout: 60_000 });
    const playback = supervisor.locator("video").first();
    await expect
      .poll(async () => playback.evaluate((v: HTMLVideoElement) => (Number.isFinite(v.duration) ? v.duration : 0)), {
        timeout: 60_000,
      })
      .toBeGreaterThan(2);
    await playback.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await expect
      .poll(async () => playback.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames), {
        timeout: 30_000,
      })
      .toBeGreaterThan(5);
    await playback.evaluate((v: HTMLVideoElement) => v.pause());

    // The evidence timeline: the download is on it, a few seconds into the recording; a click seeks there.
    const timeline = supervisor.getByTestId("recording-source").first().getByTestId("evidence-timeline");
    const entry = timeline.getByTestId("evidence-entry").filter({ hasText: "下载招标文件" }).last();
    await expect(entry).toContainText("张投标");
    const offset = Number(await entry.getAttribute("data-offset"));
    expect(offset).toBeGreaterThan(1);
    await playback.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 0;
    });
    await entry.getByRole("button").click();
    await expect.poll(async () => playback.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(offset - 0.5);
    expect(await playback.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(offset + 0.5);
    // The marker on the bar seeks too.
    await playback.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 0;
    });
    await timeline
      .getByRole("button", { name: /下载招标文件/ })
      .last()
      .click();
    await expect.poll(async () => playback.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(offset - 0.5);
  });
});
