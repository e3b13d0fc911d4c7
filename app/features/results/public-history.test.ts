import { buildHistory, type HistoryInput } from "./public-history.ts";

const empty: HistoryInput = {
  publishedAt: null,
  clarifications: [],
  opening: null,
  publicity: null,
  objections: [],
  complaints: [],
  award: null,
};

describe("the notice page's public history", () => {
  it("orders every published event by time, a notice before a clarification of the same instant", () => {
    const history = buildHistory({
      ...empty,
      publishedAt: "2027-03-01T01:00:00.000Z",
      clarifications: [
        {
          number: 1,
          title: "工程量清单修正",
          issuedAt: "2027-03-01T01:00:00.000Z",
          deadlineMoved: false,
          bidDeadline: "2027-04-02T01:30:00.000Z",
        },
      ],
      opening: { closedAt: "2027-04-02T03:00:00.000Z", failed: false },
      publicity: {
        publishedAt: "2027-04-10T02:00:00.000Z",
        startsAt: "2027-04-10T02:00:00.000Z",
        endsAt: "2027-04-13T16:00:00.000Z",
      },
      objections: [
        {
          id: "o1",
          target: "result",
          raisedAt: "2027-04-11T02:00:00.000Z",
          answeredAt: "2027-04-12T02:00:00.000Z",
          answer: "维持评标结果",
          deadlineAction: null,
          newDeadline: null,
        },
        {
          id: "o2",
          target: "result",
          raisedAt: "2027-04-11T03:00:00.000Z",
          answeredAt: null,
          answer: "",
          deadlineAction: null,
          newDeadline: null,
        },
      ],
      complaints: [
        {
          id: "c1",
          matter: "result",
          status: "DECIDED",
          filedAt: "2027-04-14T02:00:00.000Z",
          acceptanceAt: "2027-04-15T02:00:00.000Z",
          decidedAt: "2027-04-20T02:00:00.000Z",
          decision: "dismissed",
          decisionText: "驳回",
          notAcceptedReason: null,
        },
      ],
      award: {
        resultNoticeAt: "2027-04-21T02:00:00.000Z",
        winnerName: "甲建设有限公司",
        priceCents: "1180000005",
        contractSignedAt: "2027-05-01T02:00:00.000Z",
        contractRecordedAt: "2027-05-02T02:00:00.000Z",
        contractAmountCents: "1180000005",
      },
    });
    expect(history.map((e) => e.kind)).toEqual([
      "notice",
      "clarification",
      "opening",
      "publicity",
      "objection",
      "complaint",
      "award",
      "contract",
    ]);
    // An unanswered objection is not an outcome.
    expect(history.filter((e) => e.kind === "objection")).toHaveLength(1);
    expect(history.at(-1)).toMatchObject({
      kind: "contract",
      at: "2027-05-02T02:00:00.000Z",
      signedAt: "2027-05-01T02:00:00.000Z",
    });
  });

  it("without a contract there is no contract entry; a draft-like input (no publication) gives nothing", () => {
    expect(buildHistory(empty)).toEqual([]);
    const history = buildHistory({
      ...empty,
      publishedAt: "2027-03-01T01:00:00.000Z",
      award: {
        resultNoticeAt: "2027-04-21T02:00:00.000Z",
        winnerName: "甲",
        priceCents: null,
        contractSignedAt: null,
        contractRecordedAt: null,
        contractAmountCents: null,
      },
    });
    expect(history.map((e) => e.kind)).toEqual(["notice", "award"]);
  });
});
