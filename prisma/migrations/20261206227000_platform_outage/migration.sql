-- The platform's own outages (E-Measures Art 31; docs/decisions/091): the heartbeat an app
-- process writes every few seconds, and the outages found from its gaps or recorded by the
-- centre's administrator. A bid left sealed after a decryption window that overlapped one is 撤回.

-- CreateEnum
CREATE TYPE "OutageSource" AS ENUM ('HEARTBEAT', 'INCIDENT');

-- CreateTable
CREATE TABLE "platform_heartbeat" (
    "id" INTEGER NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_heartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_outage" (
    "id" UUID NOT NULL,
    "source" "OutageSource" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "recorded_by_id" UUID,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_outage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "platform_outage_span" CHECK ("ended_at" > "started_at")
);

-- CreateIndex
CREATE INDEX "platform_outage_started_at_ended_at_idx" ON "platform_outage"("started_at", "ended_at");
