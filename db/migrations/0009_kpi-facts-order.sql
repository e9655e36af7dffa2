-- The drill-down lists an audit's facts in (month, audit) order a page at a time: with the index in
-- that order, the first page is read without sorting the council's whole year.
DROP INDEX IF EXISTS kpi_audit_facts_council_cycle;
--> statement-breakpoint
CREATE INDEX kpi_audit_facts_council_cycle_audit ON kpi_audit_facts (council_id, cycle, audit_id);
