-- CreateEnum
CREATE TYPE "OpeningStep" AS ENUM ('STARTED', 'LIST_PUBLISHED', 'DECRYPTING', 'READ_OUT', 'CLOSED', 'FAILED');

-- CreateEnum
CREATE TYPE "OpeningBidStatus" AS ENUM ('SEALED', 'OPENED', 'REVOKED', 'WITHDRAWN');

-- AlterTable
ALTER TABLE "tender" ADD COLUMN     "decryption_window_minutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "escrow_remedy" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "opening_session" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "step" "OpeningStep" NOT NULL DEFAULT 'STARTED',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "host_id" UUID,
    "list_published_at" TIMESTAMPTZ(3),
    "window_opened_at" TIMESTAMPTZ(3),
    "window_ends_at" TIMESTAMPTZ(3),
    "read_out_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "record" JSONB,
    "record_signature" TEXT,
    "record_timestamp" BYTEA,
    "pdf_sha256" TEXT,
    "pdf_timestamp" BYTEA,
    "collusion" JSONB,

    CONSTRAINT "opening_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opening_bid" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "bid_id" UUID NOT NULL,
    "bid_version_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "challenge" TEXT NOT NULL,
    "signed_in_at" TIMESTAMPTZ(3),
    "signed_in_by_id" UUID,
    "status" "OpeningBidStatus" NOT NULL DEFAULT 'SEALED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_failure" TEXT,
    "outcome_detail" TEXT,
    "opened_at" TIMESTAMPTZ(3),
    "read_out" JSONB,
    "plaintext_dir" TEXT,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "opening_bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opening_objection" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "opening_bid_id" UUID,
    "raised_by_id" UUID NOT NULL,
    "raised_by_name" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "content" TEXT NOT NULL,
    "answer" TEXT,
    "answered_by_id" UUID,
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "opening_objection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "opening_session_tender_id_key" ON "opening_session"("tender_id");

-- CreateIndex
CREATE INDEX "opening_session_step_idx" ON "opening_session"("step");

-- CreateIndex
CREATE UNIQUE INDEX "opening_bid_bid_id_key" ON "opening_bid"("bid_id");

-- CreateIndex
CREATE INDEX "opening_bid_session_id_idx" ON "opening_bid"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "opening_bid_session_id_seq_key" ON "opening_bid"("session_id", "seq");

-- CreateIndex
CREATE INDEX "opening_objection_session_id_idx" ON "opening_objection"("session_id");

-- AddForeignKey
ALTER TABLE "opening_session" ADD CONSTRAINT "opening_session_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opening_bid" ADD CONSTRAINT "opening_bid_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "opening_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opening_bid" ADD CONSTRAINT "opening_bid_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opening_objection" ADD CONSTRAINT "opening_objection_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "opening_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

