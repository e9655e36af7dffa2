-- The KPI roll-up: each audit's place in every KPI (two bitmasks, in the order of shared/kpis.ts's
-- KPIS) in kpi_audit_facts, and their sums per council, month, team, service and template in
-- kpi_monthly, which the KPI page reads. Triggers keep both exact in the same transaction as every
-- change to audits or their judgements, so a decision recorded a second ago is in the figures.
-- kpi_audit_facts_of() is generated from the KPI queries by db/kpi-rollup-sql.ts.
CREATE TABLE kpi_audit_facts (
  audit_id uuid PRIMARY KEY,
  council_id uuid NOT NULL,
  cycle text NOT NULL,
  team_id uuid NOT NULL,
  service_id uuid NOT NULL,
  template_code text NOT NULL,
  n integer NOT NULL,
  d integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX kpi_audit_facts_council_cycle ON kpi_audit_facts (council_id, cycle);
--> statement-breakpoint
CREATE TABLE kpi_monthly (
  council_id uuid NOT NULL,
  cycle text NOT NULL,
  team_id uuid NOT NULL,
  service_id uuid NOT NULL,
  template_code text NOT NULL,
  n0 integer NOT NULL DEFAULT 0, n1 integer NOT NULL DEFAULT 0, n2 integer NOT NULL DEFAULT 0, n3 integer NOT NULL DEFAULT 0, n4 integer NOT NULL DEFAULT 0, n5 integer NOT NULL DEFAULT 0, n6 integer NOT NULL DEFAULT 0, n7 integer NOT NULL DEFAULT 0, n8 integer NOT NULL DEFAULT 0, n9 integer NOT NULL DEFAULT 0,
  d0 integer NOT NULL DEFAULT 0, d1 integer NOT NULL DEFAULT 0, d2 integer NOT NULL DEFAULT 0, d3 integer NOT NULL DEFAULT 0, d4 integer NOT NULL DEFAULT 0, d5 integer NOT NULL DEFAULT 0, d6 integer NOT NULL DEFAULT 0, d7 integer NOT NULL DEFAULT 0, d8 integer NOT NULL DEFAULT 0, d9 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (council_id, cycle, team_id, service_id, template_code)
);
--> statement-breakpoint
CREATE FUNCTION kpi_audit_facts_of(ids uuid[]) RETURNS SETOF kpi_audit_facts LANGUAGE sql STABLE AS $$
select a.id as audit_id, a.council_id, a.cycle, a.team_id, a.service_id,
    tv.code as template_code, (case when a.status in ('submitted', 'in-moderation', 'moderated') then 1 else 0 end) | (case when a.status = 'moderated' and tv.kind = 'case-file' then 2 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(a.moderated_grade, a.auditor_grade) is not null and coalesce(a.moderated_grade, a.auditor_grade) in ('outstanding', 'good', 'requires-improvement') then 4 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and coalesce(jv.le, 'n/a') <> 'n/a' and jv.le = 'consistently' then 8 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(a.moderated_grade, a.auditor_grade) is not null and coalesce(a.moderated_grade, a.auditor_grade) in ('outstanding', 'good', 'requires-improvement') then 16 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(jv.ss, 'n/a') <> 'n/a' and jv.ss = 'consistently' then 32 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(jv.sb, 'n/a') <> 'n/a' and jv.sb = 'consistently' then 64 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(jv.rs, 'n/a') <> 'n/a' and jv.rs = 'consistently' then 128 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(jv.mo, 'n/a') <> 'n/a' and jv.mo = 'consistently' then 256 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(a.moderated_grade, a.auditor_grade) is not null and s.code = 'cin' and coalesce(a.moderated_grade, a.auditor_grade) in ('outstanding', 'good', 'requires-improvement') then 512 else 0 end) as n, (case when a.status <> 'cancelled' then 1 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' then 2 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(a.moderated_grade, a.auditor_grade) is not null then 4 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and coalesce(jv.le, 'n/a') <> 'n/a' then 8 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(a.moderated_grade, a.auditor_grade) is not null then 16 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(jv.ss, 'n/a') <> 'n/a' then 32 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(jv.sb, 'n/a') <> 'n/a' then 64 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'supervision' and coalesce(jv.rs, 'n/a') <> 'n/a' then 128 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(jv.mo, 'n/a') <> 'n/a' then 256 else 0 end) | (case when a.status in ('submitted', 'in-moderation', 'moderated') and tv.kind = 'case-file' and coalesce(a.moderated_grade, a.auditor_grade) is not null and s.code = 'cin' then 512 else 0 end) as d
    from audits a
  join template_versions tv on tv.id = a.template_version_id
  join services s on s.id = a.service_id
  left join lateral (
    select max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = 'lived-experience') as le, max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = 'management-oversight') as mo, max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = 'strength-based') as sb, max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = 'reflective-supervision') as rs, max(coalesce(j.moderated_value, j.auditor_value)) filter (where j.measure = 'supervision-standards') as ss
    from audit_judgements j where j.audit_id = a.id
  ) jv on true where a.id = any(ids)
$$;
--> statement-breakpoint
CREATE FUNCTION kpi_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  -- Two transactions refreshing one audit take turns (on the audit's row, in a fixed order), so
  -- neither counts it twice. A change to the audit itself holds this lock already.
  PERFORM 1 FROM audits WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
  WITH gone AS (DELETE FROM kpi_audit_facts WHERE audit_id = ANY(ids) RETURNING *)
  INSERT INTO kpi_monthly AS kpi_monthly (council_id, cycle, team_id, service_id, template_code, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9)
    SELECT gone.council_id, gone.cycle, gone.team_id, gone.service_id, gone.template_code,
      -count(*) filter (where gone.n & 1 <> 0)::int,
      -count(*) filter (where gone.n & 2 <> 0)::int,
      -count(*) filter (where gone.n & 4 <> 0)::int,
      -count(*) filter (where gone.n & 8 <> 0)::int,
      -count(*) filter (where gone.n & 16 <> 0)::int,
      -count(*) filter (where gone.n & 32 <> 0)::int,
      -count(*) filter (where gone.n & 64 <> 0)::int,
      -count(*) filter (where gone.n & 128 <> 0)::int,
      -count(*) filter (where gone.n & 256 <> 0)::int,
      -count(*) filter (where gone.n & 512 <> 0)::int,
      -count(*) filter (where gone.d & 1 <> 0)::int,
      -count(*) filter (where gone.d & 2 <> 0)::int,
      -count(*) filter (where gone.d & 4 <> 0)::int,
      -count(*) filter (where gone.d & 8 <> 0)::int,
      -count(*) filter (where gone.d & 16 <> 0)::int,
      -count(*) filter (where gone.d & 32 <> 0)::int,
      -count(*) filter (where gone.d & 64 <> 0)::int,
      -count(*) filter (where gone.d & 128 <> 0)::int,
      -count(*) filter (where gone.d & 256 <> 0)::int,
      -count(*) filter (where gone.d & 512 <> 0)::int
    FROM gone GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (council_id, cycle, team_id, service_id, template_code) DO UPDATE SET n0 = kpi_monthly.n0 + excluded.n0, n1 = kpi_monthly.n1 + excluded.n1, n2 = kpi_monthly.n2 + excluded.n2, n3 = kpi_monthly.n3 + excluded.n3, n4 = kpi_monthly.n4 + excluded.n4, n5 = kpi_monthly.n5 + excluded.n5, n6 = kpi_monthly.n6 + excluded.n6, n7 = kpi_monthly.n7 + excluded.n7, n8 = kpi_monthly.n8 + excluded.n8, n9 = kpi_monthly.n9 + excluded.n9, d0 = kpi_monthly.d0 + excluded.d0, d1 = kpi_monthly.d1 + excluded.d1, d2 = kpi_monthly.d2 + excluded.d2, d3 = kpi_monthly.d3 + excluded.d3, d4 = kpi_monthly.d4 + excluded.d4, d5 = kpi_monthly.d5 + excluded.d5, d6 = kpi_monthly.d6 + excluded.d6, d7 = kpi_monthly.d7 + excluded.d7, d8 = kpi_monthly.d8 + excluded.d8, d9 = kpi_monthly.d9 + excluded.d9;
  WITH made AS (INSERT INTO kpi_audit_facts SELECT * FROM kpi_audit_facts_of(ids) RETURNING *)
  INSERT INTO kpi_monthly AS kpi_monthly (council_id, cycle, team_id, service_id, template_code, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9)
    SELECT made.council_id, made.cycle, made.team_id, made.service_id, made.template_code,
      count(*) filter (where made.n & 1 <> 0)::int,
      count(*) filter (where made.n & 2 <> 0)::int,
      count(*) filter (where made.n & 4 <> 0)::int,
      count(*) filter (where made.n & 8 <> 0)::int,
      count(*) filter (where made.n & 16 <> 0)::int,
      count(*) filter (where made.n & 32 <> 0)::int,
      count(*) filter (where made.n & 64 <> 0)::int,
      count(*) filter (where made.n & 128 <> 0)::int,
      count(*) filter (where made.n & 256 <> 0)::int,
      count(*) filter (where made.n & 512 <> 0)::int,
      count(*) filter (where made.d & 1 <> 0)::int,
      count(*) filter (where made.d & 2 <> 0)::int,
      count(*) filter (where made.d & 4 <> 0)::int,
      count(*) filter (where made.d & 8 <> 0)::int,
      count(*) filter (where made.d & 16 <> 0)::int,
      count(*) filter (where made.d & 32 <> 0)::int,
      count(*) filter (where made.d & 64 <> 0)::int,
      count(*) filter (where made.d & 128 <> 0)::int,
      count(*) filter (where made.d & 256 <> 0)::int,
      count(*) filter (where made.d & 512 <> 0)::int
    FROM made GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (council_id, cycle, team_id, service_id, template_code) DO UPDATE SET n0 = kpi_monthly.n0 + excluded.n0, n1 = kpi_monthly.n1 + excluded.n1, n2 = kpi_monthly.n2 + excluded.n2, n3 = kpi_monthly.n3 + excluded.n3, n4 = kpi_monthly.n4 + excluded.n4, n5 = kpi_monthly.n5 + excluded.n5, n6 = kpi_monthly.n6 + excluded.n6, n7 = kpi_monthly.n7 + excluded.n7, n8 = kpi_monthly.n8 + excluded.n8, n9 = kpi_monthly.n9 + excluded.n9, d0 = kpi_monthly.d0 + excluded.d0, d1 = kpi_monthly.d1 + excluded.d1, d2 = kpi_monthly.d2 + excluded.d2, d3 = kpi_monthly.d3 + excluded.d3, d4 = kpi_monthly.d4 + excluded.d4, d5 = kpi_monthly.d5 + excluded.d5, d6 = kpi_monthly.d6 + excluded.d6, d7 = kpi_monthly.d7 + excluded.d7, d8 = kpi_monthly.d8 + excluded.d8, d9 = kpi_monthly.d9 + excluded.d9;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION kpi_audits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_refresh(array(SELECT id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM kpi_refresh(array(SELECT id FROM new_rows UNION SELECT id FROM old_rows));
  ELSE
    PERFORM kpi_refresh(array(SELECT id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audits_kpi_insert AFTER INSERT ON audits REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_audits_changed();
--> statement-breakpoint
CREATE TRIGGER audits_kpi_update AFTER UPDATE ON audits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_audits_changed();
--> statement-breakpoint
CREATE TRIGGER audits_kpi_delete AFTER DELETE ON audits REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_audits_changed();
--> statement-breakpoint
CREATE FUNCTION kpi_judgements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_refresh(array(SELECT DISTINCT audit_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM kpi_refresh(array(SELECT audit_id FROM new_rows UNION SELECT audit_id FROM old_rows));
  ELSE
    PERFORM kpi_refresh(array(SELECT DISTINCT audit_id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_judgements_kpi_insert AFTER INSERT ON audit_judgements REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_judgements_changed();
--> statement-breakpoint
CREATE TRIGGER audit_judgements_kpi_update AFTER UPDATE ON audit_judgements REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_judgements_changed();
--> statement-breakpoint
CREATE TRIGGER audit_judgements_kpi_delete AFTER DELETE ON audit_judgements REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_judgements_changed();
--> statement-breakpoint
SELECT kpi_refresh(array(SELECT id FROM audits));
