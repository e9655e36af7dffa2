CREATE TABLE "audit_answers" (
	"audit_id" uuid NOT NULL,
	"question_key" text NOT NULL,
	"question_type" text NOT NULL,
	"auditor_value" text,
	"moderated_value" text,
	"moderation_rationale" text,
	"moderated_by" uuid,
	"moderated_at" timestamp with time zone,
	CONSTRAINT "audit_answers_audit_id_question_key_pk" PRIMARY KEY("audit_id","question_key")
);
--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audits" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "audit_answers" ADD CONSTRAINT "audit_answers_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_answers" ADD CONSTRAINT "audit_answers_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;