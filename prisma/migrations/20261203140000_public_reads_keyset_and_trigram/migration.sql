-- Public reads that stay fast at 100 000 tenders (docs/decisions/070).
-- pg_trgm is in Debian's postgresql-contrib; the migration runs as the database owner, which may
-- create it (the app's own, less privileged role only reads and writes rows).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Keyset paging of the notice list and the OCDS feed by (published_at, id), in either direction.
CREATE INDEX "tender_published_at_id_idx" ON "tender"("published_at", "id");

-- `contains` (ILIKE '%…%') on titles and project codes, Chinese included (the database's ctype is
-- C.UTF-8, under which pg_trgm takes CJK characters as word characters). Patterns of three or more
-- characters are served by the index; shorter ones fall back to the keyset scan.
CREATE INDEX "tender_title_trgm_idx" ON "tender" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "tender_code_trgm_idx" ON "tender" USING GIN ("code" gin_trgm_ops);

-- The OCDS feed pages clarifications by (issued_at, tender_id, number).
CREATE INDEX "clarification_issued_at_tender_id_number_idx" ON "clarification"("issued_at", "tender_id", "number");
