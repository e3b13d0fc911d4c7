// 中标通知书 and 中标结果通知书 (TBL Art 45) as A4 zh-CN PDFs, signed by the platform (PAdES with an
// RFC 3161 signature timestamp, platform/pdf-signature.server.ts), as the opening record and the
// evaluation report are.
import PDFDocument from "pdfkit";
import { formatYuan, shanghaiDate } from "../../../bidding-core/index";
import type { Signer } from "../../../crypto/index.node.ts";
import { CJK_FACE, CJK_FONT, signPdfAsPlatform } from "../../platform/pdf-signature.server.ts";

export type LetterKind = "notice-of-award" | "result-letter";

export interface LetterContent {
  kind: LetterKind;
  /** 通知书编号: the tender code and the bidder's place among the letters. */
  number: string;
  tender: { code: string; title: string; tenderer: string; agent: string | null };
  recipient: string;
  winner: { name: string; rank: number; priceCents: bigint | null };
  awardedAt: Date;
  platform: string;
}

/** Ideographic space (U+3000), the indent of Chinese letters. */
const IDSP = "\u3000";

/** 2026年12月6日 (Beijing date). */
export function chineseDate(at: Date): string {
  const [y, m, d] = shanghaiDate(at).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

const price = (cents: bigint | null) => (cents === null ? "见中标人投标文件" : `人民币 ${formatYuan(cents)} 元`);

export function renderLetterPdf(letter: LetterContent): Promise<Buffer> {
  const title = letter.kind === "notice-of-award" ? "中标通知书" : "中标结果通知书";
  const doc = new PDFDocument({
    size: "A4",
    margin: 64,
    info: { Title: `${title} ${letter.tender.code}`, Author: letter.platform, Creator: "MingBiao" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font(CJK_FONT, CJK_FACE);
  doc.fontSize(20).text(title, { align: "center" });
  doc.moveDown(0.3).fontSize(9).text(`编号：${letter.number}`, { align: "right" });
  doc.moveDown(1).fontSize(12).text(`${letter.recipient}：`);
  doc.moveDown(0.5).fontSize(11);
  const para = (text: string) => doc.text(`${IDSP}${IDSP}${text}`, { lineGap: 4 }).moveDown(0.4);
  const project = `${letter.tender.title}（项目编号：${letter.tender.code}）`;
  if (letter.kind === "notice-of-award") {
    para(
      `你单位于本项目投标截止前递交的投标文件，经评标委员会评审并经中标候选人公示，确定你单位为${project}的中标人（中标候选人排序第 ${letter.winner.rank} 名）。`,
    );
    para(`中标价：${price(letter.winner.priceCents)}。`);
    para(
      "请你单位自本通知书发出之日起三十日内，按照招标文件和你单位的投标文件与招标人订立书面合同，合同的标的、价款、质量、履行期限等主要条款应当与招标文件和中标人的投标文件的内容一致（《中华人民共和国招标投标法》第四十六条、《中华人民共和国招标投标法实施条例》第五十七条）；招标文件要求提交履约保证金的，请按规定提交。",
    );
    para("本通知书对招标人和中标人具有法律效力（《中华人民共和国招标投标法》第四十五条）。");
  } else {
    para(`感谢你单位参加${project}的投标。经评标委员会评审并经中标候选人公示，本项目中标结果如下：`);
    para(`中标人：${letter.winner.name}；中标价：${price(letter.winner.priceCents)}。`);
    para(
      "你单位未中标。投标保证金及银行同期存款利息将于招标人与中标人签订书面合同后五日内退还（《中华人民共和国招标投标法实施条例》第五十七条）。",
    );
    para("特此通知（《中华人民共和国招标投标法》第四十五条）。");
  }
  doc.moveDown(1.5);
  doc.text(`招标人：${letter.tender.tenderer}`, { align: "right" });
  if (letter.tender.agent) doc.text(`招标代理机构：${letter.tender.agent}`, { align: "right" });
  doc.text(chineseDate(letter.awardedAt), { align: "right" });
  doc
    .moveDown(2)
    .fontSize(8)
    .text(`本通知书由${letter.platform}签发并加盖平台电子签章（PAdES），附 RFC 3161 时间戳；可用 pdfsig 等工具验证签名。`);
  doc.end();
  return done;
}

/** Renders and signs with the platform's one PAdES signer. */
export async function signedLetterPdf(letter: LetterContent, signer: Signer, tsa: Signer, at: Date): Promise<Buffer> {
  return signPdfAsPlatform(
    await renderLetterPdf(letter),
    {
      reason: letter.kind === "notice-of-award" ? "中标通知书" : "中标结果通知书",
      name: letter.platform,
      location: "中标结果",
    },
    signer,
    tsa,
    at,
  );
}
