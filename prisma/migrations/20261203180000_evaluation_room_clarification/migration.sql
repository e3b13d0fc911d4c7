-- 澄清 in the evaluation room (issue 15 item 6; docs/decisions/104).
CREATE TABLE "evaluation_clarification" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "bidder_id" UUID NOT NULL,
    "question" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,
    "asked_by_id" UUID NOT NULL,
    "asked_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by_id" UUID,
    "approved_at" TIMESTAMPTZ(3),
    "rejected_at" TIMESTAMPTZ(3),
    "answer_by" TIMESTAMPTZ(3),
    "answer" TEXT,
    "answered_by_id" UUID,
    "answered_at" TIMESTAMPTZ(3),
    CONSTRAINT "evaluation_clarification_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "evaluation_clarification_session_id_idx" ON "evaluation_clarification"("session_id");
CREATE INDEX "evaluation_clarification_bidder_id_idx" ON "evaluation_clarification"("bidder_id");
ALTER TABLE "evaluation_clarification" ADD CONSTRAINT "evaluation_clarification_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "evaluation_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
