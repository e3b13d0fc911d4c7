-- The trading centre's evaluation-room devices sign in with their own accounts (decision 037, revised).
ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'ROOM_DEVICE';

-- The evidence timeline reads a tender's audit entries within a recording's time span.
CREATE INDEX "audit_entry_at_idx" ON "audit_entry"("at");

-- 评分标准 (decision 100): the free-text list of criteria ("evaluation_config"->'criteria' as
-- strings) becomes a scoring table where that is possible. Comprehensive method: each line goes
-- to the commercial part if it names a commercial factor (业绩, 信誉, 资信, 财务, 商务, 服务,
-- 售后, 质保, 报价), otherwise to the technical part; a part's weight is split evenly among its
-- criteria (2 decimals, the last takes the remainder). Possible only when every part that has
-- weight gets at least one criterion; otherwise the lines stay as "legacyCriteria" and the
-- tender cannot be published until the agent gives it a table. Lowest evaluated price method:
-- the lines cannot be turned into adjustment rules (they name no conversion), so they stay as
-- "legacyCriteria" beside an empty list of adjustments.
CREATE FUNCTION pg_temp.scoring_table(config JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  lines TEXT[];
  line TEXT;
  part TEXT;
  weight NUMERIC;
  n INT;
  i INT;
  points NUMERIC;
  base NUMERIC;
  criteria JSONB := '[]'::JSONB;
  possible BOOLEAN := TRUE;
BEGIN
  IF jsonb_typeof(config->'criteria') IS DISTINCT FROM 'array' THEN RETURN config; END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(config->'criteria') e WHERE jsonb_typeof(e) <> 'string') THEN RETURN config; END IF;
  SELECT coalesce(array_agg(e ORDER BY ord), '{}') INTO lines FROM jsonb_array_elements_text(config->'criteria') WITH ORDINALITY AS x(e, ord);
  IF config->>'method' = 'LOWEST_EVALUATED_PRICE' THEN
    RETURN (config - 'criteria') || jsonb_build_object('adjustments', '[]'::JSONB, 'legacyCriteria', to_jsonb(lines));
  END IF;
  IF config->>'method' <> 'COMPREHENSIVE' OR jsonb_typeof(config->'weights') IS DISTINCT FROM 'object' THEN RETURN config; END IF;
  FOREACH part IN ARRAY ARRAY['technical', 'commercial'] LOOP
    weight := coalesce((config->'weights'->>part)::NUMERIC, 0);
    n := 0;
    FOREACH line IN ARRAY lines LOOP
      IF (line ~ '业绩|信誉|资信|财务|商务|服务|售后|质保|报价') = (part = 'commercial') THEN n := n + 1; END IF;
    END LOOP;
    IF weight > 0 AND n = 0 THEN possible := FALSE; END IF;
    IF weight = 0 AND n > 0 THEN possible := FALSE; END IF;
    IF n > 0 AND possible THEN
      base := floor(weight * 100 / n) / 100;
      i := 0;
      FOREACH line IN ARRAY lines LOOP
        IF (line ~ '业绩|信誉|资信|财务|商务|服务|售后|质保|报价') = (part = 'commercial') THEN
          i := i + 1;
          points := CASE WHEN i = n THEN weight - base * (n - 1) ELSE base END;
          criteria := criteria || jsonb_build_array(jsonb_build_object(
            'id', 'c' || (jsonb_array_length(criteria) + 1),
            'part', part,
            'name', line,
            'maxPoints', round(points, 2),
            'guidance', '按招标文件对“' || line || '”的要求评分'));
        END IF;
      END LOOP;
    END IF;
  END LOOP;
  IF NOT possible THEN
    RETURN (config - 'criteria') || jsonb_build_object('criteria', '[]'::JSONB, 'legacyCriteria', to_jsonb(lines));
  END IF;
  RETURN (config - 'criteria') || jsonb_build_object('criteria', criteria, 'migrated', to_jsonb(jsonb_array_length(criteria) > 0));
END;
$$;

UPDATE "tender" SET "evaluation_config" = pg_temp.scoring_table("evaluation_config")
WHERE jsonb_typeof("evaluation_config"->'criteria') = 'array';
