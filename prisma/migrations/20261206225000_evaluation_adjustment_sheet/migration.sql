-- The lowest evaluated price method's sheet (decision 105): a member's signed adjustments per bid.
ALTER TYPE "EvaluationSheetKind" ADD VALUE IF NOT EXISTS 'ADJUSTMENT';
