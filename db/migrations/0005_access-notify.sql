-- Open live documents must learn at once when who may do what changes, without asking the
-- database every few seconds for every connection. Each change that can alter access announces
-- itself on the channel `access_changed`, naming the audit ('audit:<id>') or user ('user:<id>')
-- concerned; every sync server listens and checks again only the connections named.
CREATE FUNCTION notify_audit_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('access_changed', 'audit:' || OLD.audit_id);
  ELSE
    PERFORM pg_notify('access_changed', 'audit:' || NEW.audit_id);
    IF TG_OP = 'UPDATE' AND OLD.audit_id <> NEW.audit_id THEN
      PERFORM pg_notify('access_changed', 'audit:' || OLD.audit_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_assignments_access
  AFTER INSERT OR UPDATE OR DELETE ON audit_assignments
  FOR EACH ROW EXECUTE FUNCTION notify_audit_access();
--> statement-breakpoint
CREATE FUNCTION notify_audit_row_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('access_changed', 'audit:' || NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A scheduled audit's first edit starts it: both states are open to the same people, so that step,
-- the commonest update of all, is not announced.
CREATE TRIGGER audits_access
  AFTER UPDATE ON audits
  FOR EACH ROW
  WHEN (
    (OLD.status IS DISTINCT FROM NEW.status
      AND NOT (OLD.status = 'scheduled' AND NEW.status = 'in-progress'))
    OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.service_id IS DISTINCT FROM NEW.service_id
    OR OLD.case_file_id IS DISTINCT FROM NEW.case_file_id
  )
  EXECUTE FUNCTION notify_audit_row_access();
--> statement-breakpoint
CREATE FUNCTION notify_case_file_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('access_changed', 'audit:' || a.id) FROM audits a WHERE a.case_file_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_files_access
  AFTER UPDATE ON case_files
  FOR EACH ROW
  WHEN (OLD.worker_id IS DISTINCT FROM NEW.worker_id OR OLD.team_id IS DISTINCT FROM NEW.team_id)
  EXECUTE FUNCTION notify_case_file_access();
--> statement-breakpoint
CREATE FUNCTION notify_user_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('access_changed', 'user:' || OLD.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_access
  AFTER UPDATE ON users
  FOR EACH ROW
  WHEN (
    OLD.active IS DISTINCT FROM NEW.active
    OR OLD.roles IS DISTINCT FROM NEW.roles
    OR OLD.agency_id IS DISTINCT FROM NEW.agency_id
    OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.council_id IS DISTINCT FROM NEW.council_id
  )
  EXECUTE FUNCTION notify_user_access();
--> statement-breakpoint
CREATE FUNCTION notify_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('access_changed', 'user:' || OLD.user_id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_ended
  AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION notify_session_ended();
