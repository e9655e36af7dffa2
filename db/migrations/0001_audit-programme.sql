CREATE TABLE "audit_assignments" (
	"audit_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"agency_code" text,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_assignments_audit_id_user_id_pk" PRIMARY KEY("audit_id","user_id"),
	CONSTRAINT "audit_assignments_role" CHECK ("audit_assignments"."role" in ('lead', 'co-auditor', 'agency')),
	CONSTRAINT "audit_assignments_agency" CHECK (("audit_assignments"."role" = 'agency') = ("audit_assignments"."agency_code" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_judgements" (
	"audit_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"auditor_value" text,
	"moderated_value" text,
	CONSTRAINT "audit_judgements_audit_id_measure_pk" PRIMARY KEY("audit_id","measure"),
	CONSTRAINT "audit_judgements_values" CHECK (coalesce("audit_judgements"."auditor_value", 'consistently') in ('consistently', 'partly', 'not', 'n/a') and coalesce("audit_judgements"."moderated_value", 'consistently') in ('consistently', 'partly', 'not', 'n/a'))
);
--> statement-breakpoint
CREATE TABLE "audit_themes" (
	"audit_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"kind" text DEFAULT 'unclassified' NOT NULL,
	CONSTRAINT "audit_themes_audit_id_theme_id_kind_pk" PRIMARY KEY("audit_id","theme_id","kind"),
	CONSTRAINT "audit_themes_kind" CHECK ("audit_themes"."kind" in ('strength', 'development', 'unclassified'))
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"cycle" text NOT NULL,
	"template_version_id" uuid NOT NULL,
	"case_file_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"due_date" date,
	"external_ref" text,
	"auditor_grade" text,
	"moderated_grade" text,
	"cancelled_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audits_cycle" CHECK ("audits"."cycle" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "audits_status" CHECK ("audits"."status" in ('scheduled', 'in-progress', 'submitted', 'in-moderation', 'moderated', 'cancelled')),
	CONSTRAINT "audits_grades" CHECK (coalesce("audits"."auditor_grade", 'good') in ('outstanding', 'good', 'requires-improvement', 'inadequate') and coalesce("audits"."moderated_grade", 'good') in ('outstanding', 'good', 'requires-improvement', 'inadequate')),
	CONSTRAINT "audits_cancelled_reason" CHECK (("audits"."status" = 'cancelled') = ("audits"."cancelled_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "case_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"case_ref" text NOT NULL,
	"service_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"worker_id" uuid,
	"age_band" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "template_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"definition" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid,
	CONSTRAINT "template_versions_kind" CHECK ("template_versions"."kind" in ('case-file', 'supervision'))
);
--> statement-breakpoint
ALTER TABLE "councils" ADD COLUMN "sample_exclusion_months" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_assignments" ADD CONSTRAINT "audit_assignments_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_assignments" ADD CONSTRAINT "audit_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_judgements" ADD CONSTRAINT "audit_judgements_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD CONSTRAINT "audit_themes_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_themes" ADD CONSTRAINT "audit_themes_theme_id_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_template_version_id_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_case_file_id_case_files_id_fk" FOREIGN KEY ("case_file_id") REFERENCES "public"."case_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_worker_id_users_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_assignments_user" ON "audit_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audits_council_external_ref" ON "audits" USING btree ("council_id","external_ref");--> statement-breakpoint
CREATE INDEX "audits_council_cycle" ON "audits" USING btree ("council_id","cycle");--> statement-breakpoint
CREATE INDEX "audits_case_file" ON "audits" USING btree ("case_file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_files_council_ref" ON "case_files" USING btree ("council_id","case_ref");--> statement-breakpoint
CREATE INDEX "case_files_team" ON "case_files" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "case_files_worker" ON "case_files" USING btree ("worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "template_versions_council_code_version" ON "template_versions" USING btree ("council_id","code","version");