ALTER TABLE "document_updates" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "document_updates" ADD COLUMN "origin" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "document_updates_xid" ON "document_updates" USING btree ("xid");