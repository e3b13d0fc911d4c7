-- The evaluation room is live (issue 15 item 9, decision 107): every audited room event
-- (`evaluation.*`, and the committee's seat changes `experts.seat_*` that a replacement brings)
-- is announced on the channel `mingbiao_evaluation` once its transaction commits. NOTIFY is
-- transactional: a rolled-back act announces nothing, and a listener that re-reads on the signal
-- sees the committed change. Every app process LISTENs (features/evaluation/live.server.ts) and
-- tells the room's own people over socket.io; the payload names the tender, the action and the
-- entry's seq, never a score or a sheet.
CREATE FUNCTION audit_entry_announce_evaluation() RETURNS trigger AS $$
DECLARE
  tender TEXT := COALESCE(NEW.data->>'tenderId', CASE WHEN NEW.subject_type = 'Tender' THEN NEW.subject_id END);
BEGIN
  IF tender IS NOT NULL THEN
    PERFORM pg_notify(
      'mingbiao_evaluation',
      json_build_object('tenderId', tender, 'action', NEW.action, 'seq', NEW.seq::text)::text
    );
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_announce_evaluation
  AFTER INSERT ON audit_entry
  FOR EACH ROW
  WHEN (NEW.action LIKE 'evaluation.%' OR NEW.action LIKE 'experts.seat\_%')
  EXECUTE FUNCTION audit_entry_announce_evaluation();
