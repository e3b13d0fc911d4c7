-- The evaluation room (issue 15; docs/decisions/104).
CREATE TYPE "EvaluationSheetKind" AS ENUM ('QUALIFICATION', 'SCORE');

CREATE TABLE "evaluation_session" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "extended_at" TIMESTAMPTZ(3),
    "chair_user_id" UUID,
    "qualification" JSONB,
    "qualification_closed_at" TIMESTAMPTZ(3),
    "collusion_findings" JSONB NOT NULL DEFAULT '[]',
    "summary_closed_at" TIMESTAMPTZ(3),
    "report" JSONB,
    "report_drafted_at" TIMESTAMPTZ(3),
    "report_deadline" TIMESTAMPTZ(3),
    "report_signed_at" TIMESTAMPTZ(3),
    "report_pdf_sha256" TEXT,
    "report_timestamp" BYTEA,
    CONSTRAINT "evaluation_session_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "evaluation_session_tender_id_key" ON "evaluation_session"("tender_id");

CREATE TABLE "evaluation_member" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "challenge" TEXT NOT NULL,
    "signed_in_at" TIMESTAMPTZ(3),
    "certificate_serial" TEXT,
    "pledge_signature" TEXT,
    "pledged_at" TIMESTAMPTZ(3),
    "recusal" TEXT,
    "recusal_reason" TEXT,
    "recusal_at" TIMESTAMPTZ(3),
    "chair_vote_user_id" UUID,
    "more_time_at" TIMESTAMPTZ(3),
    "report_signature" TEXT,
    "report_signed_at" TIMESTAMPTZ(3),
    "dissent" TEXT,
    "deemed_agreed" BOOLEAN NOT NULL DEFAULT false,
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "evaluation_member_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "evaluation_member_session_id_user_id_key" ON "evaluation_member"("session_id", "user_id");
ALTER TABLE "evaluation_member" ADD CONSTRAINT "evaluation_member_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "evaluation_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "evaluation_sheet" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "member_user_id" UUID NOT NULL,
    "bidder_id" UUID NOT NULL,
    "kind" "EvaluationSheetKind" NOT NULL,
    "body" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "certificate_serial" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_reason" TEXT,
    "outlier_reasons" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "evaluation_sheet_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "evaluation_sheet_session_id_member_user_id_bidder_id_idx" ON "evaluation_sheet"("session_id", "member_user_id", "bidder_id");
ALTER TABLE "evaluation_sheet" ADD CONSTRAINT "evaluation_sheet_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "evaluation_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
