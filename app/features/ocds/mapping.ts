import { formatYuan } from "../../../bidding-core/index";
import { EvaluationConfigSchema } from "../tenders/index.ts";

/**
 * Published tenders as OCDS 1.1 releases (docs/decisions/042). Pure: the caller loads the rows.
 * One release per public event: the tender notice ("tender") and each clarification
 * ("tenderUpdate"); each release shows the tender as it stood at that moment (its deadline then,
 * the documents published by then), so a consumer can replay the history.
 */

export interface OcdsOrg {
  id: string;
  name: string;
  creditCode: string;
}

export interface OcdsTenderRow {
  id: string;
  code: string;
  title: string;
  description: string;
  procedureType: "WORKS" | "GOODS" | "SERVICES";
  status: string;
  estimatedPriceCents: bigint;
  docsIssueAt: Date | null;
  docsAvailableUntil: Date | null;
  bidDeadline: Date | null;
  publishedAt: Date;
  evaluationMethod: "COMPREHENSIVE" | "LOWEST_EVALUATED_PRICE";
  /** The tender's evaluation config (评分标准 or adjustment factors, decision 100); published as awardCriteriaDetails. */
  evaluationConfig?: unknown;
  tendererOrg: OcdsOrg;
  agentOrg: OcdsOrg | null;
  lots: { code: string; name: string; estimatedPriceCents: bigint }[];
  documents: {
    id: string;
    kind: "TENDER_DOCUMENTS" | "CLARIFICATION";
    fileName: string;
    createdAt: Date;
    clarificationId: string | null;
  }[];
  clarifications: {
    id: string;
    number: number;
    title: string;
    body: string;
    issuedAt: Date;
    previousDeadline: Date;
    bidDeadline: Date;
  }[];
  /** The opening (开标), once its record is published: every bidder that submitted by the deadline. */
  opening?: { step: string; pdfSha256: string | null; bids: { organization: OcdsOrg }[] } | null;
}

/** Tenderers become public with the published opening record (TBL Art 22 keeps them confidential until then). */
function publishedTenderers(row: OcdsTenderRow): OcdsOrg[] {
  const o = row.opening;
  if (!o || !o.pdfSha256 || (o.step !== "CLOSED" && o.step !== "FAILED")) return [];
  return o.bids.map((b) => b.organization);
}

export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: string[];
  initiationType: "tender";
  language: string;
  parties: Record<string, unknown>[];
  buyer: { id: string; name: string };
  tender: Record<string, unknown>;
  /** award and contract releases (results-mapping.ts, decision 118) */
  awards?: Record<string, unknown>[];
  contracts?: Record<string, unknown>[];
}

const CATEGORY = { WORKS: "works", GOODS: "goods", SERVICES: "services" } as const;

const PART_ZH = { technical: "技术部分", commercial: "商务部分" } as const;

/** 评分标准 as one line of text (OCDS awardCriteriaDetails is a string), in the notice's language. */
export function awardCriteriaDetails(raw: unknown): string | null {
  const config = EvaluationConfigSchema.safeParse(raw);
  if (!config.success) return null;
  const c = config.data;
  if (c.method === "LOWEST_EVALUATED_PRICE") {
    if (c.adjustments.length === 0) return "经评审的最低投标价法：无价格折算因素，以投标报价为评标价。";
    return `经评审的最低投标价法，价格折算因素：${c.adjustments.map((a) => `${a.factor}（${a.rule}）`).join("；")}。`;
  }
  if (c.criteria.length === 0) return null;
  const parts = (["technical", "commercial"] as const)
    .filter((part) => c.criteria.some((x) => x.part === part))
    .map(
      (part) =>
        `${PART_ZH[part]} ${c.weights[part]} 分（${c.criteria
          .filter((x) => x.part === part)
          .map((x) => `${x.name} ${x.maxPoints} 分：${x.guidance}`)
          .join("；")}）`,
    );
  const benchmark =
    c.priceScoring.benchmark.kind === "average"
      ? `有效投标价平均值 × ${c.priceScoring.benchmark.coefficientPermille / 1000}`
      : "最低有效投标价";
  return `综合评估法：${parts.join("；")}；价格部分 ${c.weights.price} 分（评标基准价：${benchmark}）。`;
}

/** The tender's OCDS status now; earlier releases showed it active. */
function tenderStatus(status: string): string {
  switch (status) {
    case "AWARDED":
      return "complete";
    case "FAILED":
    case "RETENDERED":
      return "unsuccessful";
    case "CANCELLED":
      return "cancelled";
    default:
      return "active";
  }
}

/** Amounts in yuan as a JSON number with 2 decimals (exact: fen → decimal string → number). */
export function yuanAmount(cents: bigint): number {
  return Number(formatYuan(cents));
}

// 统一社会信用代码 as the identifier; the scheme code is ours until an org-id.guide code is confirmed.
export const ORG_SCHEME = "CN-USCC";

export function party(org: OcdsOrg, roles: string[]) {
  return {
    id: `${ORG_SCHEME}-${org.creditCode}`,
    name: org.name,
    identifier: { scheme: ORG_SCHEME, id: org.creditCode, legalName: org.name },
    roles,
  };
}

export function ocid(prefix: string, tenderId: string): string {
  return `ocds-${prefix}-${tenderId}`;
}

export function buildReleases(row: OcdsTenderRow, options: { prefix: string; baseUrl: string }): OcdsRelease[] {
  const id = ocid(options.prefix, row.id);
  const buyer = party(row.tendererOrg, row.agentOrg ? ["buyer"] : ["buyer", "procuringEntity"]);
  const tenderers = publishedTenderers(row);
  const parties = [
    buyer,
    ...(row.agentOrg ? [party(row.agentOrg, ["procuringEntity"])] : []),
    ...tenderers.map((t) => party(t, ["tenderer"])),
  ];
  const procuringEntity = row.agentOrg ? parties[1]! : buyer;
  const clarifications = [...row.clarifications].sort((a, b) => a.number - b.number);
  const events: { date: Date; tag: "tender" | "tenderUpdate"; deadline: Date | null; upTo: number }[] = [
    { date: row.publishedAt, tag: "tender", deadline: clarifications[0]?.previousDeadline ?? row.bidDeadline, upTo: 0 },
    ...clarifications.map((c) => ({ date: c.issuedAt, tag: "tenderUpdate" as const, deadline: c.bidDeadline, upTo: c.number })),
  ];
  return events.map((event, index) => {
    const latest = index === events.length - 1;
    const documents = row.documents
      .filter((d) => {
        if (d.kind === "TENDER_DOCUMENTS") return true;
        const number = clarifications.find((c) => c.id === d.clarificationId)?.number;
        return number !== undefined && number <= event.upTo;
      })
      .map((d) => ({
        id: d.id,
        documentType: d.kind === "TENDER_DOCUMENTS" ? "biddingDocuments" : "clarifications",
        title: d.fileName,
        url: `${options.baseUrl}/tenders/${row.id}/documents/${d.id}`,
        datePublished: (d.createdAt.getTime() < row.publishedAt.getTime() ? row.publishedAt : d.createdAt).toISOString(),
        format: "application/pdf",
        language: "zh",
      }));
    const amendments = clarifications
      .filter((c) => c.number <= event.upTo)
      .map((c) => ({
        id: `clarification-${c.number}`,
        date: c.issuedAt.toISOString(),
        rationale: c.title,
        description: c.body,
      }));
    const tender: Record<string, unknown> = {
      id: row.code,
      title: row.title,
      description: row.description,
      status: latest ? tenderStatus(row.status) : "active",
      procuringEntity: { id: procuringEntity.id, name: procuringEntity.name },
      value: { amount: yuanAmount(row.estimatedPriceCents), currency: "CNY" },
      procurementMethod: "open",
      procurementMethodDetails: "公开招标",
      mainProcurementCategory: CATEGORY[row.procedureType],
      awardCriteria: row.evaluationMethod === "COMPREHENSIVE" ? "ratedCriteria" : "priceOnly",
      ...(awardCriteriaDetails(row.evaluationConfig) ? { awardCriteriaDetails: awardCriteriaDetails(row.evaluationConfig) } : {}),
      submissionMethod: ["electronicSubmission"],
      tenderPeriod: {
        ...(row.docsIssueAt ? { startDate: row.docsIssueAt.toISOString() } : {}),
        ...(event.deadline ? { endDate: event.deadline.toISOString() } : {}),
      },
      ...(row.docsIssueAt && row.docsAvailableUntil
        ? { enquiryPeriod: { startDate: row.docsIssueAt.toISOString(), endDate: row.docsAvailableUntil.toISOString() } }
        : {}),
      documents,
      ...(row.lots.length > 0
        ? {
            items: row.lots.map((l) => ({
              id: l.code,
              description: l.name,
              unit: { value: { amount: yuanAmount(l.estimatedPriceCents), currency: "CNY" } },
              quantity: 1,
            })),
          }
        : {}),
      ...(amendments.length > 0 ? { amendments } : {}),
      // The opening's bidders, in the release that shows the tender as it stands now.
      ...(latest && tenderers.length > 0
        ? {
            tenderers: tenderers.map((t) => ({ id: `${ORG_SCHEME}-${t.creditCode}`, name: t.name })),
            numberOfTenderers: tenderers.length,
          }
        : {}),
    };
    return {
      ocid: id,
      id: `${id}-${event.tag === "tender" ? "tender" : `clarification-${event.upTo}`}`,
      date: event.date.toISOString(),
      tag: [event.tag],
      initiationType: "tender",
      language: "zh",
      parties,
      buyer: { id: buyer.id, name: buyer.name },
      tender,
    };
  });
}

export interface ReleasePackage {
  uri: string;
  version: "1.1";
  publishedDate: string;
  publisher: { name: string; uri: string };
  releases: OcdsRelease[];
  links?: { next: string };
}

export function releasePackage(input: {
  uri: string;
  baseUrl: string;
  releases: OcdsRelease[];
  next: string | null;
  now: Date;
}): ReleasePackage {
  const latest = input.releases.reduce<string | null>((max, r) => (max === null || r.date > max ? r.date : max), null);
  return {
    uri: input.uri,
    version: "1.1",
    publishedDate: latest ?? input.now.toISOString(),
    publisher: { name: "明标 MingBiao", uri: input.baseUrl },
    releases: input.releases,
    ...(input.next ? { links: { next: input.next } } : {}),
  };
}
