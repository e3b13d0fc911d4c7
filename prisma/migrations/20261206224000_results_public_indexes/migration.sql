-- Public results (issue 17 item 4; docs/decisions/118): keyset indexes for the /results list
-- (newest first by publication time, then the notice's id) and for the OCDS feed's award,
-- awardUpdate and contract branches (by date, then tender; decision 070).

-- CreateIndex
CREATE INDEX "candidate_publicity_published_at_id_idx" ON "candidate_publicity"("published_at", "id");

-- CreateIndex
CREATE INDEX "candidate_publicity_published_at_tender_id_idx" ON "candidate_publicity"("published_at", "tender_id");

-- CreateIndex
CREATE INDEX "award_result_notice_at_id_idx" ON "award"("result_notice_at", "id");

-- CreateIndex
CREATE INDEX "award_result_notice_at_tender_id_idx" ON "award"("result_notice_at", "tender_id");

-- CreateIndex
CREATE INDEX "award_contract_recorded_at_tender_id_idx" ON "award"("contract_recorded_at", "tender_id");

-- CreateIndex
CREATE INDEX "award_decline_recorded_at_tender_id_rank_idx" ON "award_decline"("recorded_at", "tender_id", "rank");
