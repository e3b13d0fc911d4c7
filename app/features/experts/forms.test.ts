import zh from "../../ui/locales/zh-CN/experts.json";
import en from "../../ui/locales/en/experts.json";
import { avoidanceReasons, type AvoidanceReason } from "../../../bidding-core/index";
import { committeeRequestValues, CommitteeRequestFormSchema, ExpertProfileSchema, isValidIdNumber } from "./forms.ts";

function keys(o: object, prefix = ""): string[] {
  return Object.entries(o)
    .flatMap(([k, v]) => (v && typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
    .sort();
}

describe("expert forms", () => {
  it("checks the ID number's check character (GB 11643)", () => {
    expect(isValidIdNumber("11010519491231002X")).toBe(true);
    expect(isValidIdNumber("110105194912310021")).toBe(false);
    expect(isValidIdNumber("11010519491231002")).toBe(false);
  });

  it("reads the request's repeated rows, skipping empty ones", () => {
    const form = new FormData();
    for (const [s, c, r] of [
      ["A0201", "3", "2"],
      ["A0301", "2", "1"],
      ["", "0", "2"],
    ]) {
      form.append("specialty", s!);
      form.append("count", c!);
      form.append("reserves", r!);
    }
    form.append("evaluationStart", "2030-01-01T09:00");
    const parsed = CommitteeRequestFormSchema.safeParse(committeeRequestValues(form));
    expect(parsed.success && parsed.data.requirements).toEqual([
      { specialty: "A0201", count: 3, reserves: 2 },
      { specialty: "A0301", count: 2, reserves: 1 },
    ]);
    expect(parsed.success && parsed.data.drawLeadHours).toBe(24);
  });

  it("refuses an expert with fewer than 8 years or no specialty", () => {
    const base = {
      name: "钱",
      idNumber: "11010519491231002X",
      employerName: "单位",
      employerCreditCode: "91330200MA2C00001",
      title: "高工",
      yearsOfPractice: "8",
      region: "明州",
      phone: "13800000000",
      specialties: "A0201",
    };
    const ok = ExpertProfileSchema.safeParse(base);
    expect(ok.success || ok.error.issues.map((i) => i.path[0])).not.toContain("yearsOfPractice");
    expect(ExpertProfileSchema.safeParse({ ...base, yearsOfPractice: "7" }).error?.issues.map((i) => i.message)).toContain(
      "validation.years",
    );
    expect(ExpertProfileSchema.safeParse({ ...base, specialties: "" }).error?.issues.map((i) => i.message)).toContain(
      "validation.specialties",
    );
  });

  it("has the same messages in both languages, and one for every avoidance reason", () => {
    expect(keys(en)).toEqual(keys(zh));
    const all: AvoidanceReason[] = avoidanceReasons(
      {
        id: "e",
        specialties: [],
        employerIds: ["B", "T", "G", "D"],
        relativeOfBidderIds: ["B"],
        economicInterestBidderIds: ["B"],
        penalised: true,
        suspended: true,
        service: [{ tendererId: "T", date: "2030-01-01" }],
      },
      {
        tendererId: "T",
        agentId: "G",
        bidderIds: ["B"],
        supervisingDepartmentIds: ["D"],
        drawDate: "2030-01-02",
        sameTendererCooldownDays: 30,
      },
    );
    expect(all).toHaveLength(9);
    for (const r of all) expect(Object.keys(zh.reason)).toContain(r);
  });
});
