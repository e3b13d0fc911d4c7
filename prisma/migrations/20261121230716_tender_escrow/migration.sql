-- CreateTable
CREATE TABLE "tender_escrow" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "serial" TEXT NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tender_escrow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escrow_share" (
    "id" UUID NOT NULL,
    "escrow_id" UUID NOT NULL,
    "custodian_user_id" UUID,
    "custodian_role" TEXT NOT NULL,
    "certificate_serial" TEXT NOT NULL,
    "encrypted_share" JSONB NOT NULL,

    CONSTRAINT "escrow_share_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tender_escrow_tender_id_key" ON "tender_escrow"("tender_id");

-- CreateIndex
CREATE UNIQUE INDEX "tender_escrow_serial_key" ON "tender_escrow"("serial");

-- AddForeignKey
ALTER TABLE "tender_escrow" ADD CONSTRAINT "tender_escrow_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrow_share" ADD CONSTRAINT "escrow_share_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "tender_escrow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
