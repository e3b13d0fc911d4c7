import PDFDocument from "pdfkit";
import type { Signer } from "../../../crypto/index.node.ts";
import { signPdfAsPlatform } from "../../platform/pdf-signature.server.ts";
import type { HallRecord } from "./record-types.ts";

/** Debian's fonts-noto-cjk; pdfkit embeds the subset it uses. */
const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const CJK_FACE = "NotoSansCJKsc-Regular";
/** Ideographic space (U+3000), the indent of Chinese forms. */
const IDSP = "\u3000";

/** The opening record (开标记录表) as an A4 zh-CN PDF, before signing. */
export function renderRecordPdf(record: HallRecord): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    info: { Title: `开标记录 ${record.tender.code}`, Author: record.platform, Creator: "MingBiao" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font(CJK_FONT, CJK_FACE);
  doc.fontSize(18).text("开标记录", { align: "center" });
  doc.moveDown(0.5).fontSize(10);
  const line = (label: string, value: string) => doc.text(`${label}：${value}`);
  line("项目编号", record.tender.code);
  line("项目名称", record.tender.title);
  line("招标人", record.tender.tenderer);
  line("招标代理", record.tender.agent ?? "—");
  line("开标时间", record.openedAtBeijing);
  line("开标地点", record.place);
  line(
    "开标结果",
    record.outcome === "failed"
      ? `流标：投标人少于 ${record.failure?.required ?? 3} 个，投标文件不予开启（《招标投标法实施条例》第四十四条）`
      : "开标",
  );
  doc.moveDown(0.5).fontSize(12).text("投标情况");
  doc.fontSize(9);
  for (const entry of record.bids) {
    doc.moveDown(0.3);
    doc.text(`${entry.seq}. ${entry.bidderName}${IDSP}递交时间：${entry.receivedAtBeijing}${IDSP}解密：${entry.outcomeLabel}`);
    for (const item of entry.items) doc.text(`${IDSP}${IDSP}${item.label}：${item.value}`);
    if (entry.remarks) doc.text(`${IDSP}${IDSP}备注：${entry.remarks}`);
  }
  if (record.outages && record.outages.length > 0) {
    doc.moveDown(0.5).fontSize(12).text("平台故障（解密时限内，《电子招标投标办法》第三十一条）");
    doc.fontSize(9);
    for (const o of record.outages) {
      const source = o.source === "heartbeat" ? "平台自动记录" : "交易中心登记";
      doc.text(`${o.fromBeijing} 至 ${o.toBeijing}（${source}）：${o.description}`);
    }
  }
  doc.moveDown(0.5).fontSize(12).text("异议及答复");
  doc.fontSize(9);
  if (record.objections.length === 0) doc.text("无");
  for (const o of record.objections) {
    doc.text(`${o.raisedBy}（${o.raisedAtBeijing}）：${o.content}`);
    doc.text(`${IDSP}${IDSP}答复（${o.answeredAtBeijing}）：${o.answer}`);
  }
  doc.moveDown(0.5).fontSize(10);
  line("主持人", record.host ?? "—");
  line("监督人员", record.supervisors.length > 0 ? record.supervisors.join("、") : "—");
  doc
    .moveDown(0.5)
    .fontSize(8)
    .text(`本记录由${record.platform}生成并加盖电子签章，附 RFC 3161 时间戳。记录 JSON 的 SHA-256 见签名数据。`);
  doc.end();
  return done;
}

/** Renders and signs with the platform's PAdES signer (platform/pdf-signature.server.ts). */
export async function signedRecordPdf(record: HallRecord, signer: Signer, tsa: Signer, at: Date): Promise<Buffer> {
  return signPdfAsPlatform(
    await renderRecordPdf(record),
    { reason: "开标记录", name: record.platform, location: "网上开标" },
    signer,
    tsa,
    at,
  );
}
