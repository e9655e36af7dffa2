CREATE TABLE "moderation_disputes" (
	"audit_id" uuid PRIMARY KEY NOT NULL,
	"raised_by" uuid NOT NULL,
	"reason" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_by" uuid,
	"outcome" text,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "moderation_disputes_outcome" CHECK (coalesce("moderation_disputes"."outcome", 'upheld') in ('upheld', 'overturned')),
	CONSTRAINT "moderation_disputes_resolved" CHECK (("moderation_disputes"."resolved_by" is null) = ("moderation_disputes"."outcome" is null) and ("moderation_disputes"."outcome" is null) = ("moderation_disputes"."resolved_at" is null))
);
--> statement-breakpoint
CREATE TABLE "moderation_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_events_kind" CHECK ("moderation_events"."kind" in ('queued', 'not-sampled', 'flagged', 'picked-up', 'returned', 'decided', 'disputed', 'resolved'))
);
--> statement-breakpoint
CREATE TABLE "moderation_policies" (
	"council_id" uuid NOT NULL,
	"template_code" text NOT NULL,
	"sample_percent" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moderation_policies_council_id_template_code_pk" PRIMARY KEY("council_id","template_code"),
	CONSTRAINT "moderation_policies_percent" CHECK ("moderation_policies"."sample_percent" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "audit_answers" ADD COLUMN "moderation_outcome" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "moderation_sample" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "flagged_by" uuid;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "flagged_reason" text;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "moderator_id" uuid;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "moderated_by" uuid;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "moderated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "moderation_feedback" text;--> statement-breakpoint
ALTER TABLE "moderation_disputes" ADD CONSTRAINT "moderation_disputes_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_disputes" ADD CONSTRAINT "moderation_disputes_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_disputes" ADD CONSTRAINT "moderation_disputes_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_policies" ADD CONSTRAINT "moderation_policies_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_policies" ADD CONSTRAINT "moderation_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moderation_events_audit" ON "moderation_events" USING btree ("audit_id","at");--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_flagged_by_users_id_fk" FOREIGN KEY ("flagged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_moderator_id_users_id_fk" FOREIGN KEY ("moderator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_moderation_sample" CHECK (coalesce("audits"."moderation_sample", 'policy') in ('policy', 'extreme-grade', 'flagged', 'not-sampled'));