import { PassThrough } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { nulFreeHtml } from "./html-stream.server.ts";

async function render(list: string[], filter: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const element = createElement("ul", null, ...list.map((text, i) => createElement("li", { key: i, "aria-label": text }, text)));
  await new Promise<void>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        const sink = new PassThrough();
        sink.on("data", (c: Buffer) => chunks.push(Buffer.from(c)));
        sink.on("end", () => resolve());
        if (filter) pipe(nulFreeHtml()).pipe(sink);
        else pipe(sink);
      },
      onShellError: reject,
    });
  });
  return Buffer.concat(chunks);
}

// Labels of varying length, so some 3-byte character lands across a 2 KiB buffer boundary.
const labels = Array.from({ length: 400 }, (_, i) => `评审因素 ${i} 名称${"分".repeat(i % 7)}`);

describe("server HTML without React's NUL bytes", () => {
  it("the unfiltered render shows the defect this filter exists for", async () => {
    const raw = await render(labels, false);
    expect(raw.includes(0)).toBe(true);
  });

  it("the filtered render is valid UTF-8 holding every label exactly", async () => {
    const html = await render(labels, true);
    expect(html.includes(0)).toBe(false);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(html);
    for (const label of labels) expect(text).toContain(`aria-label="${label}">${label}</li>`);
  });
});
