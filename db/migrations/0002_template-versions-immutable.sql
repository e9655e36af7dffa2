-- A published template version is a record of what auditors were asked: audits point at it, so it
-- never changes. A new version is a new row.
CREATE FUNCTION template_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'template versions are immutable: publish a new version instead';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER template_versions_immutable
  BEFORE UPDATE OR DELETE ON template_versions
  FOR EACH ROW EXECUTE FUNCTION template_versions_refuse_change();
