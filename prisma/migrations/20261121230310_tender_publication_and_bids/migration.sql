-- CreateEnum
CREATE TYPE "EvaluationMethod" AS ENUM ('COMPREHENSIVE', 'LOWEST_EVALUATED_PRICE');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('TENDER_DOCUMENTS', 'CLARIFICATION');

-- CreateEnum
CREATE TYPE "CertificateUsage" AS ENUM ('SIGNING', 'ENCRYPTION');

-- CreateEnum
CREATE TYPE "BidStatus" AS ENUM ('SUBMITTED', 'WITHDRAWN');

-- AlterEnum
ALTER TYPE "TenderStatus" ADD VALUE 'CLARIFICATION';

-- AlterTable
ALTER TABLE "tender" ADD COLUMN     "bid_validity_days" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "evaluation_config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "evaluation_method" "EvaluationMethod" NOT NULL DEFAULT 'COMPREHENSIVE',
ADD COLUMN     "max_envelope_bytes" BIGINT NOT NULL DEFAULT 1073741824,
ADD COLUMN     "qualification_requirements" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "read_out_items" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "tender_lot" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "estimated_price_cents" BIGINT NOT NULL,
    "bid_security_cents" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tender_lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tender_document" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "clarification_id" UUID,
    "kind" "DocumentKind" NOT NULL,
    "file_name" TEXT NOT NULL,
    "media_type" TEXT NOT NULL DEFAULT 'application/pdf',
    "size_bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tender_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clarification" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "affects_preparation" BOOLEAN NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "previous_deadline" TIMESTAMPTZ(3) NOT NULL,
    "bid_deadline" TIMESTAMPTZ(3) NOT NULL,
    "deadline_moved" BOOLEAN NOT NULL,
    "issued_by_id" UUID NOT NULL,

    CONSTRAINT "clarification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_download" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,

    CONSTRAINT "document_download_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" UUID NOT NULL,
    "organization_id" UUID,
    "user_id" UUID,
    "usage" "CertificateUsage" NOT NULL,
    "serial_number" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "pem" TEXT NOT NULL,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bid" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "status" "BidStatus" NOT NULL DEFAULT 'SUBMITTED',
    "withdrawn_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bid_version" (
    "id" UUID NOT NULL,
    "bid_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "submitted_by_id" UUID NOT NULL,
    "envelope_sha256" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "signer_certificate_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "receipt" JSONB NOT NULL,
    "timestamp_token" BYTEA NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "device_fingerprint" TEXT,
    "document_meta" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "bid_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tender_lot_tender_id_code_key" ON "tender_lot"("tender_id", "code");

-- CreateIndex
CREATE INDEX "tender_document_tender_id_idx" ON "tender_document"("tender_id");

-- CreateIndex
CREATE UNIQUE INDEX "clarification_tender_id_number_key" ON "clarification"("tender_id", "number");

-- CreateIndex
CREATE INDEX "document_download_tender_id_organization_id_idx" ON "document_download"("tender_id", "organization_id");

-- CreateIndex
CREATE INDEX "notification_user_id_created_at_idx" ON "notification"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_serial_number_key" ON "certificate"("serial_number");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_fingerprint_key" ON "certificate"("fingerprint");

-- CreateIndex
CREATE INDEX "certificate_organization_id_usage_idx" ON "certificate"("organization_id", "usage");

-- CreateIndex
CREATE UNIQUE INDEX "bid_tender_id_organization_id_key" ON "bid"("tender_id", "organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "bid_version_bid_id_number_key" ON "bid_version"("bid_id", "number");

-- CreateIndex
CREATE INDEX "tender_status_bid_deadline_idx" ON "tender"("status", "bid_deadline");

-- AddForeignKey
ALTER TABLE "tender_lot" ADD CONSTRAINT "tender_lot_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_document" ADD CONSTRAINT "tender_document_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_document" ADD CONSTRAINT "tender_document_clarification_id_fkey" FOREIGN KEY ("clarification_id") REFERENCES "clarification"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clarification" ADD CONSTRAINT "clarification_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_download" ADD CONSTRAINT "document_download_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_download" ADD CONSTRAINT "document_download_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "tender_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bid" ADD CONSTRAINT "bid_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bid_version" ADD CONSTRAINT "bid_version_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
