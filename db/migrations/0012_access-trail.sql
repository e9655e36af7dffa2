CREATE TABLE "access_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"council_id" uuid,
	"user_id" uuid,
	"action" text NOT NULL,
	"method" text,
	"path" text,
	"audit_id" uuid,
	"case_file_id" uuid,
	"subject_user_id" uuid,
	"address" text,
	"detail" jsonb
);
--> statement-breakpoint
ALTER TABLE "access_events" ADD CONSTRAINT "access_events_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_events_council_at" ON "access_events" USING btree ("council_id","at");--> statement-breakpoint
CREATE INDEX "access_events_user_at" ON "access_events" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "access_events_audit" ON "access_events" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "access_events_case" ON "access_events" USING btree ("case_file_id");--> statement-breakpoint
-- The application's own database role: the server's pool runs as it (db/client.ts, `role`). It may
-- read and write what the product keeps, but only insert into and read the access trail.
DO $$ BEGIN
  CREATE ROLE case_audit_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;--> statement-breakpoint
DO $$ BEGIN
  GRANT case_audit_app TO CURRENT_USER;
EXCEPTION WHEN OTHERS THEN NULL;
END $$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO case_audit_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO case_audit_app;--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO case_audit_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO case_audit_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO case_audit_app;--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON access_events FROM case_audit_app;--> statement-breakpoint
-- Nobody changes a recorded event, and nobody removes one but the retention function below.
CREATE FUNCTION access_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('access_trail.expiring', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the access trail is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER access_events_append_only BEFORE UPDATE OR DELETE ON access_events
  FOR EACH ROW EXECUTE FUNCTION access_events_refuse_change();--> statement-breakpoint
CREATE TRIGGER access_events_no_truncate BEFORE TRUNCATE ON access_events
  FOR EACH STATEMENT EXECUTE FUNCTION access_events_refuse_change();--> statement-breakpoint
-- Removes a council's events older than `keep_days`, with the owner's rights, and records that it did.
CREATE FUNCTION expire_access_events(p_council uuid, keep_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed bigint;
  cutoff timestamptz := now() - make_interval(days => keep_days);
BEGIN
  IF keep_days IS NULL OR keep_days < 1 THEN
    RAISE EXCEPTION 'keep_days must be at least 1' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('access_trail.expiring', 'on', true);
  DELETE FROM access_events WHERE council_id = p_council AND at < cutoff;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('access_trail.expiring', 'off', true);
  IF removed > 0 THEN
    INSERT INTO access_events (council_id, action, detail)
      VALUES (p_council, 'trail-expired', jsonb_build_object('removed', removed, 'before', cutoff, 'keep_days', keep_days));
  END IF;
  RETURN removed;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION expire_access_events(uuid, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION expire_access_events(uuid, integer) TO case_audit_app;
