-- Remedies (异议, 投诉), the calendar kept by the trading centre and node control (issue 17;
-- docs/decisions/110-112). Tender, user and organisation ids are plain uuid columns (no
-- foreign keys to the shared tables; decision 111).

-- CreateEnum
CREATE TYPE "ObjectionStatus" AS ENUM ('OPEN', 'ANSWERED');

-- CreateEnum
CREATE TYPE "ComplaintStatus" AS ENUM ('RECEIVED', 'ACCEPTED', 'NOT_ACCEPTED', 'DECIDED');

-- CreateTable
CREATE TABLE "calendar_year" (
    "year" INTEGER NOT NULL,
    "reference" TEXT NOT NULL,
    "days" JSONB NOT NULL,
    "entered_by_id" UUID NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "calendar_year_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "objection" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "objector_org_id" UUID NOT NULL,
    "objector_user_id" UUID NOT NULL,
    "reasons" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ObjectionStatus" NOT NULL DEFAULT 'OPEN',
    "answer" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "answered_by_id" UUID,
    "deadline_action" TEXT,
    "previous_deadline" TIMESTAMPTZ(3),
    "new_deadline" TIMESTAMPTZ(3),

    CONSTRAINT "objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "remedy_attachment" (
    "id" UUID NOT NULL,
    "objection_id" UUID,
    "complaint_id" UUID,
    "file_name" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "remedy_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "complainant_org_id" UUID NOT NULL,
    "complainant_user_id" UUID NOT NULL,
    "matter" TEXT NOT NULL,
    "objection_id" UUID,
    "known_at" TIMESTAMPTZ(3) NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL,
    "reasons" TEXT NOT NULL,
    "status" "ComplaintStatus" NOT NULL DEFAULT 'RECEIVED',
    "acceptance_at" TIMESTAMPTZ(3),
    "acceptance_by_id" UUID,
    "not_accepted_reason" TEXT,
    "decision" TEXT,
    "decision_text" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,

    CONSTRAINT "complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint_pause" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3),

    CONSTRAINT "complaint_pause_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "procedure_suspension" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "from_status" "TenderStatus" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "lifted_at" TIMESTAMPTZ(3),

    CONSTRAINT "procedure_suspension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline_clock" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "basis" JSONB NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "provisional" BOOLEAN NOT NULL DEFAULT false,
    "provisional_years" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "warn_at" TIMESTAMPTZ(3) NOT NULL,
    "warned_at" TIMESTAMPTZ(3),
    "alarmed_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "stop_reason" TEXT,
    "concerned_user_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deadline_clock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "objection_tender_id_status_idx" ON "objection"("tender_id", "status");
CREATE INDEX "objection_objector_org_id_idx" ON "objection"("objector_org_id");
CREATE INDEX "remedy_attachment_objection_id_idx" ON "remedy_attachment"("objection_id");
CREATE INDEX "remedy_attachment_complaint_id_idx" ON "remedy_attachment"("complaint_id");
CREATE INDEX "complaint_tender_id_status_idx" ON "complaint"("tender_id", "status");
CREATE INDEX "complaint_complainant_org_id_idx" ON "complaint"("complainant_org_id");
CREATE INDEX "complaint_pause_complaint_id_idx" ON "complaint_pause"("complaint_id");
CREATE INDEX "procedure_suspension_tender_id_lifted_at_idx" ON "procedure_suspension"("tender_id", "lifted_at");
CREATE UNIQUE INDEX "deadline_clock_kind_subject_type_subject_id_key" ON "deadline_clock"("kind", "subject_type", "subject_id");
CREATE INDEX "deadline_clock_stopped_at_due_at_idx" ON "deadline_clock"("stopped_at", "due_at");
CREATE INDEX "deadline_clock_tender_id_idx" ON "deadline_clock"("tender_id");

-- AddForeignKey
ALTER TABLE "remedy_attachment" ADD CONSTRAINT "remedy_attachment_objection_id_fkey" FOREIGN KEY ("objection_id") REFERENCES "objection"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "remedy_attachment" ADD CONSTRAINT "remedy_attachment_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_objection_id_fkey" FOREIGN KEY ("objection_id") REFERENCES "objection"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "complaint_pause" ADD CONSTRAINT "complaint_pause_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
