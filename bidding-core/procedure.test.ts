import * as core from "./index";

const sh = (local: string) => new Date(`${local}+08:00`);

function unwrap<T>(result: core.Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code} (${result.error.article})`);
  return result.value;
}

describe("a whole tender through the public API", () => {
  it("TBL Arts 24, 34, 37, Regs Arts 44, 46, 53, 54: publish, bid, open, draw, evaluate, rank, publicise, award", () => {
    const rules = core.defaultProcedureRules("works", true);
    const documentsFrom = sh("2025-05-06T09:00");
    const minimums = core.statutoryMinimums(documentsFrom, rules);
    const schedule = {
      documentsFrom,
      documentsUntil: minimums.documentsUntilEarliest,
      bidDeadline: new Date(minimums.bidDeadlineEarliest.getTime() + 9.5 * 3_600_000),
    };
    let tender = unwrap(core.transition(core.newTender(rules), { type: "publish", schedule }, sh("2025-05-06T08:00")));

    const bidders = ["A", "B", "C", "D"];
    for (const bidderId of bidders) {
      unwrap(
        core.acceptBid(
          { bidderId, receivedAt: sh("2025-05-26T15:00"), encrypted: true, holdsDocuments: true },
          schedule.bidDeadline,
        ),
      );
    }
    const late = core.acceptBid(
      { bidderId: "E", receivedAt: schedule.bidDeadline, encrypted: true, holdsDocuments: true },
      schedule.bidDeadline,
    );
    expect(late.ok).toBe(false);

    const at = schedule.bidDeadline;
    tender = unwrap(core.transition(tender, { type: "close-bidding" }, at));
    expect(core.decideOpening(bidders.length, rules).kind).toBe("open");
    tender = unwrap(core.transition(tender, { type: "start-opening", bidCount: bidders.length }, at));
    const prices: Record<string, bigint> = { A: 980_000_00n, B: 1_000_000_00n, C: 1_050_000_00n, D: 990_000_00n };
    const record = unwrap(
      core.buildOpeningRecord({
        tenderId: "T-2025-001",
        tenderName: "示例工程",
        openedAt: at,
        readOutItems: [],
        bids: bidders.map((id) => ({
          bidderId: id,
          bidderName: id,
          receivedAt: sh("2025-05-26T15:00"),
          attempt: { kind: "decrypted" },
          price: prices[id],
          items: {},
        })),
        objections: [],
      }),
    );
    expect(record.entries.map((e) => e.price)).toEqual(["980000.00", "1000000.00", "1050000.00", "990000.00"]);
    tender = unwrap(core.transition(tender, { type: "complete-opening" }, at));

    const seed = new Uint8Array(32).fill(9);
    const commitment = core.commitSeed(seed);
    const pool = Array.from({ length: 12 }, (_, i) => ({
      id: `x${i}`,
      specialties: [i % 2 ? "造价" : "土建"],
      employerIds: [],
      relativeOfBidderIds: [],
      economicInterestBidderIds: [],
      penalised: false,
      service: [],
    }));
    const draw = unwrap(
      core.drawExperts({
        pool,
        context: {
          tendererId: "T",
          bidderIds: bidders,
          supervisingDepartmentIds: [],
          drawDate: "2025-05-27",
          sameTendererCooldownDays: 90,
        },
        requirements: [
          { specialty: "土建", count: 3, reserves: 1 },
          { specialty: "造价", count: 1, reserves: 1 },
        ],
        seedHex: core.toHex(seed),
        commitment,
      }),
    );
    const members = [
      ...draw.members.map((m) => ({ id: m.expertId, role: "expert" as const, specialties: [m.specialty] })),
      { id: "rep", role: "tenderer-representative" as const, specialties: [] },
    ];
    unwrap(core.validateCommittee({ members, requirements: [{ specialty: "土建", count: 3 }], rules }));
    tender = unwrap(core.transition(tender, { type: "start-evaluation", committeeValidated: true }, sh("2025-05-27T09:00")));

    const expertIds = draw.members.map((m) => m.expertId);
    const results = unwrap(
      core.evaluateComprehensive({
        bids: bidders.map((id) => ({ bidderId: id, price: prices[id]! })),
        expertIds,
        sheets: expertIds.flatMap((expertId) =>
          bidders.map((bidderId) => ({ expertId, bidderId, technical: bidderId === "B" ? 95 : 85, commercial: 90 })),
        ),
        weights: { technical: 40, commercial: 10, price: 50 },
        priceScoring: { benchmark: { kind: "lowest" }, formula: { kind: "ratio" } },
        aggregation: { kind: "mean" },
      }),
    );
    const candidates = core.selectCandidates(core.rankComprehensive(results), rules);
    expect(candidates).toEqual(["B", "A", "D"]);

    const publicity = core.minimumPublicity(sh("2025-05-28T10:00"), rules);
    tender = unwrap(core.transition(tender, { type: "publish-candidates", candidates, publicity }, publicity.start));
    tender = unwrap(core.transition(tender, { type: "award" }, publicity.end));
    expect(tender.status).toBe("awarded");
    expect(core.committeeListDisclosable(tender.status)).toBe(true);
  });
});
