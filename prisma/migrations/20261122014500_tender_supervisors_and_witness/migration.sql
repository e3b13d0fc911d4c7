-- AlterTable
ALTER TABLE "tender" ADD COLUMN     "witness_closed_at" TIMESTAMPTZ(3),
ADD COLUMN     "witness_opened_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "tender_supervisor" (
    "tender_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "assigned_by_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tender_supervisor_pkey" PRIMARY KEY ("tender_id","user_id")
);

-- CreateIndex
CREATE INDEX "tender_supervisor_user_id_idx" ON "tender_supervisor"("user_id");

-- AddForeignKey
ALTER TABLE "tender_supervisor" ADD CONSTRAINT "tender_supervisor_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_supervisor" ADD CONSTRAINT "tender_supervisor_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_supervisor" ADD CONSTRAINT "tender_supervisor_assigned_by_id_fkey" FOREIGN KEY ("assigned_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
