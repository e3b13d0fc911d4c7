// What the room applies to one tender, read from the tender: its review criteria, its method's
// table (scoring criteria or adjustment rules, decision 100) and its room rules, bidding-core's
// defaults where the tender states none (decision 106).
import {
  EVALUATION_DEFAULTS,
  evaluationRules,
  type AdjustmentRule,
  type EvaluationRules,
  type ScoringCriterion,
  type TenderRoomRules,
} from "../../../bidding-core/index";
import { db } from "../../platform/db.server.ts";

function tenderQualification(raw: unknown): { id: string; text: string }[] {
  return Array.isArray(raw)
    ? raw
        .filter(
          (q): q is { id: string; text: string } =>
            typeof q === "object" && q !== null && typeof (q as { id?: unknown }).id === "string",
        )
        .map((q) => ({ id: q.id, text: String(q.text ?? "") }))
    : [];
}

/** What the room applies to one tender: its review criteria, its method's table, and its room rules (bidding-core's defaults where it states none, decision 106). */
export async function tenderRules(tenderId: string) {
  const t = await db().tender.findUniqueOrThrow({
    where: { id: tenderId },
    select: { qualificationRequirements: true, evaluationConfig: true },
  });
  const config = (t.evaluationConfig ?? {}) as {
    method?: string;
    weights?: { technical: number; commercial: number; price: number };
    priceScoring?: unknown;
    criteria?: ScoringCriterion[];
    adjustments?: AdjustmentRule[];
    roomRules?: TenderRoomRules;
  };
  const room = evaluationRules(config.roomRules ?? {});
  return {
    method: config.method === "LOWEST_EVALUATED_PRICE" ? ("LOWEST_EVALUATED_PRICE" as const) : ("COMPREHENSIVE" as const),
    qualification: tenderQualification(t.qualificationRequirements),
    weights: config.weights ?? { technical: 0, commercial: 0, price: 0 },
    priceScoring: config.priceScoring,
    criteria: Array.isArray(config.criteria) ? config.criteria : [],
    adjustments: Array.isArray(config.adjustments) ? config.adjustments : [],
    /** Publication checks the config (checkEvaluationConfig), so a stored tender's rules are valid; a broken row still gets the defaults, never a throw in the room. */
    room: room.ok ? room.value : (EVALUATION_DEFAULTS as EvaluationRules),
  };
}
