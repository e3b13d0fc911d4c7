-- The app connects as its own role, mingbiao_app, which owns nothing (docs/decisions/053): it can
-- read and write rows, but only an owner or superuser can TRUNCATE, ALTER TABLE ... DISABLE
-- TRIGGER or drop the audit log's triggers. Migrations and the set-up run as the owner.
-- Roles are cluster-wide while this runs once per database: create the role only if missing
-- (two databases migrating at once may race; the loser finds it made).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mingbiao_app') THEN
    BEGIN
      CREATE ROLE mingbiao_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END $$;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO mingbiao_app', current_database());
END $$;

GRANT USAGE ON SCHEMA public TO mingbiao_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mingbiao_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mingbiao_app;
-- Tables and sequences later migrations create (as the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mingbiao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO mingbiao_app;

-- The migration history is the owner's business.
REVOKE ALL ON "_prisma_migrations" FROM mingbiao_app;

-- The audit log and its checkpoints are append-only for the app twice over: no UPDATE/DELETE
-- privilege, and the triggers below refuse them for everyone but a superuser who disables them.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entry", "audit_checkpoint" FROM mingbiao_app;

CREATE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoint is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_checkpoint_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change();

CREATE TRIGGER audit_checkpoint_no_truncate
  BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_refuse_change();
