import { ocid, ORG_SCHEME, yuanAmount, type OcdsOrg, type OcdsRelease } from "./mapping.ts";

/**
 * The results of a tender as OCDS 1.1 releases (docs/decisions/118). Pure: the caller loads the
 * rows, and only published ones (the feed never selects a row before its publication time).
 *
 * - candidate publicity (中标候选人公示) → tag `award`, one award per candidate, status `pending`;
 * - the award (中标结果公告) → tag `award`: the winner's award `active`, the other candidates'
 *   `unsuccessful` (passed over, with the Regs Art 55 cause, or simply not chosen);
 * - a candidate passed over after the award → tag `awardUpdate`, that award `cancelled`;
 * - the contract (书面合同, TBL Art 46) → tag `contract`, its award and `contracts[]`.
 * Award ids are per candidate rank (`award-<rank>`), so a compiled release merges them.
 */

export const RESULT_RELEASE = {
  publicity: 900_000,
  award: 900_001,
  /** + the declined candidate's rank */
  awardUpdate: 900_100,
  contract: 999_999,
} as const;

export interface OcdsCandidate {
  rank: number;
  bidderOrgId: string;
  name: string;
  priceCents: string | null;
}

export interface OcdsResultsRow {
  tenderId: string;
  code: string;
  title: string;
  buyer: { id: string; name: string };
  /** buyer and procuring entity parties as in the tender releases */
  baseParties: Record<string, unknown>[];
  /** organisations of the candidates and the winner, by id (for their 统一社会信用代码) */
  orgs: Map<string, OcdsOrg>;
  publicity: { publishedAt: Date; startsAt: Date; endsAt: Date; candidates: OcdsCandidate[] } | null;
  award: {
    winnerOrgId: string;
    winnerName: string;
    winnerRank: number;
    priceCents: bigint | null;
    confirmedAt: Date;
    resultNoticeAt: Date;
    reason: string | null;
    contractSignedAt: Date | null;
    contractRecordedAt: Date | null;
    contractAmountCents: bigint | null;
  } | null;
  declines: { bidderOrgId: string; rank: number; cause: string; reason: string; recordedAt: Date }[];
}

const CAUSE_ZH: Record<string, string> = {
  declined: "放弃中标",
  "no-contract": "不按照招标文件要求签订合同",
  "no-performance-security": "不按照招标文件要求提交履约保证金",
  disqualified: "被查实存在影响中标结果的违法行为",
};

function orgOf(row: OcdsResultsRow, orgId: string, name: string): OcdsOrg {
  return row.orgs.get(orgId) ?? { id: orgId, name, creditCode: orgId };
}

function supplierParty(org: OcdsOrg, roles: string[]) {
  return {
    id: `${ORG_SCHEME}-${org.creditCode}`,
    name: org.name,
    identifier: { scheme: ORG_SCHEME, id: org.creditCode, legalName: org.name },
    roles,
  };
}

const value = (cents: bigint | string | null) =>
  cents === null ? {} : { value: { amount: yuanAmount(BigInt(cents)), currency: "CNY" } };

export function buildResultReleases(row: OcdsResultsRow, options: { prefix: string; baseUrl: string }): OcdsRelease[] {
  const id = ocid(options.prefix, row.tenderId);
  const candidates = [...(row.publicity?.candidates ?? [])].sort((a, b) => a.rank - b.rank);
  const award = row.award;
  const winnerOrg = award ? orgOf(row, award.winnerOrgId, award.winnerName) : null;
  const orgsOfCandidates = candidates.map((c) => orgOf(row, c.bidderOrgId, c.name));
  const parties = (withSupplier: boolean) => {
    const list = orgsOfCandidates.map((o) =>
      supplierParty(
        o,
        withSupplier && winnerOrg && o.creditCode === winnerOrg.creditCode ? ["tenderer", "supplier"] : ["tenderer"],
      ),
    );
    if (withSupplier && winnerOrg && !list.some((p) => p.id === `${ORG_SCHEME}-${winnerOrg.creditCode}`))
      list.push(supplierParty(winnerOrg, ["tenderer", "supplier"]));
    return [...row.baseParties, ...list];
  };
  const ref = (o: OcdsOrg) => ({ id: `${ORG_SCHEME}-${o.creditCode}`, name: o.name });
  const release = (
    suffix: string,
    date: Date,
    tag: string,
    body: Record<string, unknown>,
    withSupplier: boolean,
  ): OcdsRelease => ({
    ocid: id,
    id: `${id}-${suffix}`,
    date: date.toISOString(),
    tag: [tag],
    initiationType: "tender",
    language: "zh",
    parties: parties(withSupplier),
    buyer: row.buyer,
    tender: { id: row.code, title: row.title, status: tag === "award" && suffix === "candidates" ? "active" : "complete" },
    ...body,
  });
  const releases: OcdsRelease[] = [];

  if (row.publicity) {
    const p = row.publicity;
    releases.push(
      release(
        "candidates",
        p.publishedAt,
        "award",
        {
          awards: candidates.map((c, i) => ({
            id: `award-${c.rank}`,
            title: `第${c.rank}中标候选人`,
            description: `中标候选人公示，公示期 ${p.startsAt.toISOString()} 至 ${p.endsAt.toISOString()}（《招标投标法实施条例》第五十四条）。`,
            status: "pending",
            date: p.publishedAt.toISOString(),
            ...value(c.priceCents),
            suppliers: [ref(orgsOfCandidates[i]!)],
            documents: [
              {
                id: `candidates-${c.rank}`,
                documentType: "awardNotice",
                title: "中标候选人公示",
                url: `${options.baseUrl}/tenders/${row.tenderId}/candidates`,
                datePublished: p.publishedAt.toISOString(),
                format: "text/html",
                language: "zh",
              },
            ],
          })),
        },
        false,
      ),
    );
  }

  if (award && winnerOrg) {
    // The awards as they stand at `at`: the winner active unless passed over by then.
    const awardsAt = (at: Date) => {
      const declined = new Map(row.declines.filter((d) => d.recordedAt.getTime() <= at.getTime()).map((d) => [d.rank, d]));
      const ranks = new Set([...candidates.map((c) => c.rank), award.winnerRank, ...declined.keys()]);
      return [...ranks]
        .sort((a, b) => a - b)
        .map((rank) => {
          const c = candidates.find((x) => x.rank === rank);
          const decline = declined.get(rank);
          const isWinner = rank === award.winnerRank;
          const org = isWinner ? winnerOrg : orgOf(row, c?.bidderOrgId ?? decline?.bidderOrgId ?? "", c?.name ?? "");
          const afterAward = decline && decline.recordedAt.getTime() > award.resultNoticeAt.getTime();
          const status = decline ? (afterAward ? "cancelled" : "unsuccessful") : isWinner ? "active" : "unsuccessful";
          return {
            id: `award-${rank}`,
            title: isWinner && !decline ? "中标结果公告" : `第${rank}中标候选人`,
            ...(decline
              ? {
                  description: `${CAUSE_ZH[decline.cause] ?? decline.cause}：${decline.reason}（《招标投标法实施条例》第五十五条）`,
                }
              : isWinner && award.reason
                ? { description: award.reason }
                : {}),
            status,
            date: (isWinner ? award.confirmedAt : at).toISOString(),
            ...value(isWinner ? award.priceCents : (c?.priceCents ?? null)),
            suppliers: [ref(org)],
            ...(isWinner && !decline
              ? {
                  documents: [
                    {
                      id: "result-notice",
                      documentType: "awardNotice",
                      title: "中标结果公告",
                      url: `${options.baseUrl}/tenders/${row.tenderId}/result`,
                      datePublished: award.resultNoticeAt.toISOString(),
                      format: "text/html",
                      language: "zh",
                    },
                  ],
                }
              : {}),
          };
        });
    };
    releases.push(release("award", award.resultNoticeAt, "award", { awards: awardsAt(award.resultNoticeAt) }, true));
    for (const d of [...row.declines]
      .filter((x) => x.recordedAt.getTime() > award.resultNoticeAt.getTime())
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime()))
      releases.push(release(`award-update-${d.rank}`, d.recordedAt, "awardUpdate", { awards: awardsAt(d.recordedAt) }, true));
    if (award.contractSignedAt) {
      const at = award.contractRecordedAt ?? award.contractSignedAt;
      releases.push(
        release(
          "contract",
          at,
          "contract",
          {
            awards: awardsAt(at).filter((a) => a.id === `award-${award.winnerRank}`),
            contracts: [
              {
                id: "contract-1",
                awardID: `award-${award.winnerRank}`,
                title: `${row.title} 合同`,
                status: "active",
                dateSigned: award.contractSignedAt.toISOString(),
                ...value(award.contractAmountCents),
              },
            ],
          },
          true,
        ),
      );
    }
  }
  return releases;
}

/** The feed's release number of a result release (its place after the tender's clarifications). */
export function resultReleaseSuffix(number: number): string | null {
  if (number === RESULT_RELEASE.publicity) return "candidates";
  if (number === RESULT_RELEASE.award) return "award";
  if (number === RESULT_RELEASE.contract) return "contract";
  if (number > RESULT_RELEASE.awardUpdate && number < RESULT_RELEASE.contract)
    return `award-update-${number - RESULT_RELEASE.awardUpdate}`;
  return null;
}
