-- Results (issue 17 items 1-4; docs/decisions/113): candidate publicity, the award, letters to
-- the bidders, candidates passed over, bid security refunds. Tender, user and organisation ids
-- are plain uuid columns (no foreign keys to the shared tables; decision 111).

-- CreateTable
CREATE TABLE "candidate_publicity" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "report_sha256" TEXT NOT NULL,
    "report_received_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "published_by_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "candidates" JSONB NOT NULL,
    "rejected" JSONB NOT NULL DEFAULT '[]',
    "committee" JSONB NOT NULL,
    "remarks" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "candidate_publicity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "award" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "winner_org_id" UUID NOT NULL,
    "winner_name" TEXT NOT NULL,
    "winner_rank" INTEGER NOT NULL,
    "price_cents" BIGINT,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_by_id" UUID NOT NULL,
    "reason" TEXT,
    "result_notice_at" TIMESTAMPTZ(3) NOT NULL,
    "contract_signed_at" TIMESTAMPTZ(3),
    "contract_amount_cents" BIGINT,
    "contract_recorded_at" TIMESTAMPTZ(3),
    "contract_recorded_by_id" UUID,
    "report_submitted_at" TIMESTAMPTZ(3),
    "report_submitted_by_id" UUID,

    CONSTRAINT "award_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "award_decline" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "bidder_org_id" UUID NOT NULL,
    "rank" INTEGER NOT NULL,
    "cause" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by_id" UUID NOT NULL,

    CONSTRAINT "award_decline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "award_letter" (
    "id" UUID NOT NULL,
    "award_id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "bidder_org_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "pdf_sha256" TEXT NOT NULL,
    "timestamp" BYTEA NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "first_downloaded_at" TIMESTAMPTZ(3),

    CONSTRAINT "award_letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_refund" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "bidder_org_id" UUID NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "refunded_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "security_refund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "candidate_publicity_tender_id_key" ON "candidate_publicity"("tender_id");

-- CreateIndex
CREATE INDEX "candidate_publicity_ends_at_idx" ON "candidate_publicity"("ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "award_tender_id_key" ON "award"("tender_id");

-- CreateIndex
CREATE INDEX "award_confirmed_at_idx" ON "award"("confirmed_at");

-- CreateIndex
CREATE INDEX "award_decline_tender_id_idx" ON "award_decline"("tender_id");

-- CreateIndex
CREATE UNIQUE INDEX "award_letter_award_id_bidder_org_id_key" ON "award_letter"("award_id", "bidder_org_id");

-- CreateIndex
CREATE INDEX "award_letter_tender_id_idx" ON "award_letter"("tender_id");

-- CreateIndex
CREATE INDEX "award_letter_bidder_org_id_idx" ON "award_letter"("bidder_org_id");

-- CreateIndex
CREATE UNIQUE INDEX "security_refund_tender_id_bidder_org_id_key" ON "security_refund"("tender_id", "bidder_org_id");

-- AddForeignKey
ALTER TABLE "award_letter" ADD CONSTRAINT "award_letter_award_id_fkey" FOREIGN KEY ("award_id") REFERENCES "award"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
