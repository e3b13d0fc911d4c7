/*
  Warnings:

  - You are about to drop the `escrow_share` table. If the table is not empty, all the data it contains will be lost.
  - Added the required column `record` to the `tender_escrow` table without a default value. This is not possible if the table is not empty.
  - Added the required column `signature` to the `tender_escrow` table without a default value. This is not possible if the table is not empty.

*/
-- DropForeignKey
ALTER TABLE "escrow_share" DROP CONSTRAINT "escrow_share_escrow_id_fkey";

-- AlterTable
ALTER TABLE "tender_escrow" ADD COLUMN     "record" JSONB NOT NULL,
ADD COLUMN     "signature" TEXT NOT NULL;

-- DropTable
DROP TABLE "escrow_share";
