CREATE TABLE "manual_measures" (
	"council_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"cycle" text NOT NULL,
	"value" numeric(7, 1) NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manual_measures_council_id_measure_cycle_pk" PRIMARY KEY("council_id","measure","cycle"),
	CONSTRAINT "manual_measures_measure" CHECK ("manual_measures"."measure" in ('A3.1', 'A3.6')),
	CONSTRAINT "manual_measures_cycle" CHECK ("manual_measures"."cycle" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "manual_measures_value" CHECK ("manual_measures"."value" >= 0)
);
--> statement-breakpoint
ALTER TABLE "manual_measures" ADD CONSTRAINT "manual_measures_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_measures" ADD CONSTRAINT "manual_measures_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;