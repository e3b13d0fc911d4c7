-- Expert pool (专家库), specialties, declarations, penalties, committee requests and seats (issue 14).
-- CreateEnum
CREATE TYPE "ExpertStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "ExpertDeclarationKind" AS ENUM ('RELATIVE_EMPLOYER', 'FORMER_EMPLOYER');

-- CreateEnum
CREATE TYPE "CommitteeRequestStatus" AS ENUM ('SUBMITTED', 'APPROVED', 'REJECTED', 'DRAWN', 'FAILED');

-- CreateEnum
CREATE TYPE "CommitteeSeatStatus" AS ENUM ('INVITED', 'CONFIRMED', 'DECLINED', 'TIMED_OUT', 'REPLACED');

-- CreateTable
CREATE TABLE "expert_specialty" (
    "code" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "parent_code" TEXT,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expert_specialty_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "expert" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "id_number_hash" TEXT NOT NULL,
    "employer_org_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "years_of_practice" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "status" "ExpertStatus" NOT NULL DEFAULT 'PENDING',
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,
    "status_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_specialty_of" (
    "expert_id" UUID NOT NULL,
    "specialty_code" TEXT NOT NULL,

    CONSTRAINT "expert_specialty_of_pkey" PRIMARY KEY ("expert_id","specialty_code")
);

-- CreateTable
CREATE TABLE "expert_declaration" (
    "id" UUID NOT NULL,
    "expert_id" UUID NOT NULL,
    "kind" "ExpertDeclarationKind" NOT NULL,
    "organization_name" TEXT NOT NULL,
    "credit_code" TEXT NOT NULL,
    "relation" TEXT NOT NULL DEFAULT '',
    "ended_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expert_declaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_penalty" (
    "id" UUID NOT NULL,
    "expert_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expert_penalty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "committee_request" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "requirements" JSONB NOT NULL,
    "representative_ids" UUID[],
    "evaluation_start_at" TIMESTAMPTZ(3) NOT NULL,
    "draw_lead_hours" INTEGER NOT NULL DEFAULT 24,
    "confirm_window_minutes" INTEGER NOT NULL DEFAULT 15,
    "status" "CommitteeRequestStatus" NOT NULL DEFAULT 'SUBMITTED',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    "draw_at" TIMESTAMPTZ(3),
    "seed_commitment" TEXT,
    "seed_secret" TEXT,
    "pool_hash" TEXT,
    "eligible" JSONB,
    "excluded" JSONB,
    "mix_hash" TEXT,
    "result" JSONB,
    "failure" JSONB,
    "drawn_at" TIMESTAMPTZ(3),
    "result_fixed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "committee_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "committee_seat" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "seat" INTEGER NOT NULL,
    "expert_id" UUID NOT NULL,
    "specialty" TEXT NOT NULL,
    "status" "CommitteeSeatStatus" NOT NULL DEFAULT 'INVITED',
    "invited_at" TIMESTAMPTZ(3) NOT NULL,
    "respond_by" TIMESTAMPTZ(3) NOT NULL,
    "responded_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,

    CONSTRAINT "committee_seat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "expert_specialty_parent_code_idx" ON "expert_specialty"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "expert_user_id_key" ON "expert"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "expert_id_number_hash_key" ON "expert"("id_number_hash");

-- CreateIndex
CREATE INDEX "expert_status_idx" ON "expert"("status");

-- CreateIndex
CREATE INDEX "expert_specialty_of_specialty_code_idx" ON "expert_specialty_of"("specialty_code");

-- CreateIndex
CREATE INDEX "expert_declaration_expert_id_idx" ON "expert_declaration"("expert_id");

-- CreateIndex
CREATE INDEX "expert_declaration_credit_code_idx" ON "expert_declaration"("credit_code");

-- CreateIndex
CREATE INDEX "expert_penalty_expert_id_ends_at_idx" ON "expert_penalty"("expert_id", "ends_at");

-- CreateIndex
CREATE INDEX "committee_request_tender_id_created_at_idx" ON "committee_request"("tender_id", "created_at");

-- CreateIndex
CREATE INDEX "committee_request_status_draw_at_idx" ON "committee_request"("status", "draw_at");

-- CreateIndex
CREATE INDEX "committee_seat_request_id_seat_idx" ON "committee_seat"("request_id", "seat");

-- CreateIndex
CREATE INDEX "committee_seat_expert_id_idx" ON "committee_seat"("expert_id");

-- AddForeignKey
ALTER TABLE "expert_specialty" ADD CONSTRAINT "expert_specialty_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "expert_specialty"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert" ADD CONSTRAINT "expert_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert" ADD CONSTRAINT "expert_employer_org_id_fkey" FOREIGN KEY ("employer_org_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_specialty_of" ADD CONSTRAINT "expert_specialty_of_expert_id_fkey" FOREIGN KEY ("expert_id") REFERENCES "expert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_specialty_of" ADD CONSTRAINT "expert_specialty_of_specialty_code_fkey" FOREIGN KEY ("specialty_code") REFERENCES "expert_specialty"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_declaration" ADD CONSTRAINT "expert_declaration_expert_id_fkey" FOREIGN KEY ("expert_id") REFERENCES "expert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_penalty" ADD CONSTRAINT "expert_penalty_expert_id_fkey" FOREIGN KEY ("expert_id") REFERENCES "expert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "committee_request" ADD CONSTRAINT "committee_request_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "committee_seat" ADD CONSTRAINT "committee_seat_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "committee_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "committee_seat" ADD CONSTRAINT "committee_seat_expert_id_fkey" FOREIGN KEY ("expert_id") REFERENCES "expert"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The shipped subset of the specialty classification (工程/货物/服务 → field → speciality). The
-- structure follows the national classification of evaluation experts' specialties; the codes
-- are MingBiao's own (A/B/C + two digits per level), the trading centre adds more in the app.
INSERT INTO "expert_specialty" ("code", "level", "parent_code", "name_zh", "name_en") VALUES
  ('A', 1, NULL, '工程类', 'Works'),
  ('A01', 2, 'A', '房屋建筑工程', 'Building works'),
  ('A0101', 3, 'A01', '建筑结构', 'Building structures'),
  ('A0102', 3, 'A01', '建筑电气与智能化', 'Building electrical and intelligent systems'),
  ('A0103', 3, 'A01', '给排水与暖通', 'Plumbing and HVAC'),
  ('A02', 2, 'A', '市政公用工程', 'Municipal works'),
  ('A0201', 3, 'A02', '道路工程', 'Road engineering'),
  ('A0202', 3, 'A02', '桥梁与隧道工程', 'Bridges and tunnels'),
  ('A0203', 3, 'A02', '给水排水工程', 'Water supply and drainage'),
  ('A03', 2, 'A', '工程经济', 'Construction economics'),
  ('A0301', 3, 'A03', '工程造价（土建）', 'Cost engineering (civil)'),
  ('A0302', 3, 'A03', '工程造价（安装）', 'Cost engineering (installation)'),
  ('B', 1, NULL, '货物类', 'Goods'),
  ('B01', 2, 'B', '医疗设备', 'Medical equipment'),
  ('B0101', 3, 'B01', '医学影像设备', 'Medical imaging equipment'),
  ('B0102', 3, 'B01', '检验与实验室设备', 'Laboratory equipment'),
  ('B02', 2, 'B', '信息技术设备', 'IT equipment'),
  ('B0201', 3, 'B02', '计算机与网络设备', 'Computers and networks'),
  ('B03', 2, 'B', '货物经济', 'Goods economics'),
  ('B0301', 3, 'B03', '采购与商务', 'Procurement and commercial'),
  ('C', 1, NULL, '服务类', 'Services'),
  ('C01', 2, 'C', '工程咨询服务', 'Engineering consultancy'),
  ('C0101', 3, 'C01', '工程监理', 'Construction supervision'),
  ('C0102', 3, 'C01', '勘察设计', 'Survey and design'),
  ('C02', 2, 'C', '信息技术服务', 'IT services'),
  ('C0201', 3, 'C02', '软件开发与运维', 'Software development and operations');
