CREATE TABLE "audit_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"audit_id" uuid NOT NULL,
	"description" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"completion_note" text,
	CONSTRAINT "audit_actions_status" CHECK ("audit_actions"."status" in ('open', 'done')),
	CONSTRAINT "audit_actions_done" CHECK (("audit_actions"."status" = 'done') = ("audit_actions"."completed_at" is not null and "audit_actions"."completion_note" is not null))
);
--> statement-breakpoint
ALTER TABLE "moderation_events" DROP CONSTRAINT "moderation_events_kind";--> statement-breakpoint
ALTER TABLE "audit_themes" DROP CONSTRAINT "audit_themes_audit_id_theme_id_kind_pk";--> statement-breakpoint
ALTER TABLE "themes" ADD COLUMN "keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD COLUMN "question_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD COLUMN "source" text DEFAULT 'auditor' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD COLUMN "tagged_by" uuid;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD COLUMN "tagged_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Every tag before this migration came from the historical import.
UPDATE "audit_themes" SET "source" = 'import';--> statement-breakpoint
ALTER TABLE "audit_themes" ADD CONSTRAINT "audit_themes_audit_id_question_key_theme_id_pk" PRIMARY KEY("audit_id","question_key","theme_id");--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "practitioner_reflection" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "reflection_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "family_feedback" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "family_feedback_by" uuid;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "family_feedback_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_actions" ADD CONSTRAINT "audit_actions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_actions" ADD CONSTRAINT "audit_actions_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_actions" ADD CONSTRAINT "audit_actions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_actions" ADD CONSTRAINT "audit_actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_actions" ADD CONSTRAINT "audit_actions_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_actions_audit" ON "audit_actions" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "audit_actions_owner" ON "audit_actions" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "audit_actions_council_status" ON "audit_actions" USING btree ("council_id","status","due_date");--> statement-breakpoint
ALTER TABLE "audit_themes" ADD CONSTRAINT "audit_themes_tagged_by_users_id_fk" FOREIGN KEY ("tagged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_family_feedback_by_users_id_fk" FOREIGN KEY ("family_feedback_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_themes_theme" ON "audit_themes" USING btree ("theme_id");--> statement-breakpoint
ALTER TABLE "audit_themes" ADD CONSTRAINT "audit_themes_source" CHECK ("audit_themes"."source" in ('auditor', 'moderator', 'import'));--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_kind" CHECK ("moderation_events"."kind" in ('queued', 'not-sampled', 'flagged', 'picked-up', 'returned', 'decided', 'disputed', 'resolved', 'retagged'));