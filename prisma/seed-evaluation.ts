// Demo data of the evaluation issue (decisions 100, 101): the demo tenders' scoring tables
// (评分标准) and the trading centre's evaluation-room device account. Idempotent.
import type { PrismaClient } from "../app/generated/prisma/client.ts";

/** The works tender: technical 50 and commercial 20 points, price 30 (computed). */
const WORKS_TABLE = [
  {
    id: "c1",
    part: "technical",
    name: "施工组织设计",
    maxPoints: 25,
    guidance: "施工方案、进度计划、质量与安全措施完整可行得 20–25 分；基本可行得 12–19 分；有明显缺陷得 0–11 分。",
  },
  {
    id: "c2",
    part: "technical",
    name: "项目管理机构",
    maxPoints: 15,
    guidance: "项目经理具有市政一级建造师及类似工程经历得 8 分；技术负责人高级职称得 4 分；主要人员配备齐全得 3 分。",
  },
  {
    id: "c3",
    part: "technical",
    name: "重点难点分析",
    maxPoints: 10,
    guidance: "对跨河段施工、管线迁改、交通组织的分析及对策针对性强得 8–10 分，一般得 4–7 分，泛泛而谈得 0–3 分。",
  },
  {
    id: "c4",
    part: "commercial",
    name: "类似工程业绩",
    maxPoints: 12,
    guidance: "近五年每项 3 公里以上城市主干道工程业绩得 4 分，最多 12 分（以中标通知书和合同为准）。",
  },
  {
    id: "c5",
    part: "commercial",
    name: "企业信誉",
    maxPoints: 8,
    guidance: "近三年获省级及以上优质工程奖每项 2 分，最多 6 分；信用评价 A 级得 2 分。",
  },
];

/** The goods tender: technical 60 and commercial 10 points, price 30 (computed). */
const GOODS_TABLE = [
  {
    id: "c1",
    part: "technical",
    name: "技术参数响应",
    maxPoints: 40,
    guidance: "完全满足技术参数得 40 分；每有一项 ★ 参数负偏离扣 5 分，每有一项一般参数负偏离扣 1 分，扣完为止。",
  },
  {
    id: "c2",
    part: "technical",
    name: "安装调试与培训方案",
    maxPoints: 12,
    guidance: "方案完整、周期合理、培训安排具体得 9–12 分；一般得 5–8 分；简单得 0–4 分。",
  },
  {
    id: "c3",
    part: "technical",
    name: "售后服务",
    maxPoints: 8,
    guidance: "明州市内设有服务网点、4 小时到场响应得 8 分；省内网点、24 小时响应得 4 分；其他 0 分。",
  },
  {
    id: "c4",
    part: "commercial",
    name: "同类设备业绩",
    maxPoints: 10,
    guidance: "近三年三级医院同类设备供货业绩每项 2 分，最多 10 分。",
  },
];

const CONFIGS: Record<
  string,
  { weights: { technical: number; commercial: number; price: number }; criteria: typeof WORKS_TABLE }
> = {
  "MZ-JS-2026-0158": { weights: { technical: 50, commercial: 20, price: 30 }, criteria: WORKS_TABLE },
  "MZ-HW-2026-0203": { weights: { technical: 60, commercial: 10, price: 30 }, criteria: GOODS_TABLE },
};

export async function seedEvaluationDemo(
  prisma: PrismaClient,
  input: { passwordHash: string; platformOrgId: string },
): Promise<void> {
  for (const [code, table] of Object.entries(CONFIGS)) {
    await prisma.tender.updateMany({
      where: { code, evaluationMethod: "COMPREHENSIVE" },
      data: {
        evaluationConfig: {
          method: "COMPREHENSIVE",
          weights: table.weights,
          priceScoring: { benchmark: { kind: "average", coefficientPermille: 950 }, formula: { kind: "ratio" } },
          criteria: table.criteria,
        },
      },
    });
  }
  // The evaluation room's computer signs in with this account and publishes its cameras
  // (交易中心 → 评标室设备); it can do nothing else.
  await prisma.user.upsert({
    where: { email: "device@demo.mingbiao.cn" },
    update: {},
    create: {
      email: "device@demo.mingbiao.cn",
      name: "第一评标室设备",
      role: "ROOM_DEVICE",
      organizationId: input.platformOrgId,
      passwordHash: input.passwordHash,
    },
  });
}
