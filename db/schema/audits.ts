import { sql } from 'drizzle-orm'
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { Template } from '../../shared/templates/schema'
import { councils, services, teams, themes } from './councils'
import { users } from './users'

/** Published template versions. Never updated or deleted (a trigger refuses it): audits point at them. */
export const templateVersions = pgTable(
  'template_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    definition: jsonb('definition').$type<Template>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid('published_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('template_versions_council_code_version').on(t.councilId, t.code, t.version),
    check('template_versions_kind', sql`${t.kind} in ('case-file', 'supervision')`),
  ],
)

export const caseFiles = pgTable(
  'case_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    caseRef: text('case_ref').notNull(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    workerId: uuid('worker_id').references(() => users.id),
    ageBand: text('age_band'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('case_files_council_ref').on(t.councilId, t.caseRef),
    index('case_files_team').on(t.teamId),
    index('case_files_worker').on(t.workerId),
  ],
)

export const audits = pgTable(
  'audits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    cycle: text('cycle').notNull(),
    templateVersionId: uuid('template_version_id')
      .notNull()
      .references(() => templateVersions.id),
    caseFileId: uuid('case_file_id')
      .notNull()
      .references(() => caseFiles.id),
    // The case's team and service when it was audited: reports group by these, not by where the
    // case has moved since.
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    status: text('status').notNull().default('scheduled'),
    dueDate: date('due_date'),
    externalRef: text('external_ref'),
    auditorGrade: text('auditor_grade'),
    moderatedGrade: text('moderated_grade'),
    cancelledReason: text('cancelled_reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    // Moderation (see shared/moderation.ts): why it entered the queue or not, who flagged it, who
    // picked it up, and the recorded decision's author, time and feedback.
    moderationSample: text('moderation_sample'),
    flaggedBy: uuid('flagged_by').references(() => users.id),
    flaggedReason: text('flagged_reason'),
    moderatorId: uuid('moderator_id').references(() => users.id),
    moderatedBy: uuid('moderated_by').references(() => users.id),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
    moderationFeedback: text('moderation_feedback'),
    // Audit for impact: the practitioner's reflection on the audit, and what the child or family said.
    practitionerReflection: text('practitioner_reflection'),
    reflectionAt: timestamp('reflection_at', { withTimezone: true }),
    familyFeedback: text('family_feedback'),
    familyFeedbackBy: uuid('family_feedback_by').references(() => users.id),
    familyFeedbackAt: timestamp('family_feedback_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('audits_council_external_ref').on(t.councilId, t.externalRef),
    index('audits_council_cycle').on(t.councilId, t.cycle),
    index('audits_case_file').on(t.caseFileId),
    check('audits_cycle', sql`${t.cycle} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'audits_status',
      sql`${t.status} in ('scheduled', 'in-progress', 'submitted', 'in-moderation', 'moderated', 'cancelled')`,
    ),
    check(
      'audits_grades',
      sql`coalesce(${t.auditorGrade}, 'good') in ('outstanding', 'good', 'requires-improvement', 'inadequate') and coalesce(${t.moderatedGrade}, 'good') in ('outstanding', 'good', 'requires-improvement', 'inadequate')`,
    ),
    check(
      'audits_moderation_sample',
      sql`coalesce(${t.moderationSample}, 'policy') in ('policy', 'extreme-grade', 'flagged', 'not-sampled')`,
    ),
    check(
      'audits_cancelled_reason',
      sql`(${t.status} = 'cancelled') = (${t.cancelledReason} is not null)`,
    ),
  ],
)

/** Who works on an audit: its lead auditor, co-auditors, and in a multi-agency audit an auditor per agency section. */
export const auditAssignments = pgTable(
  'audit_assignments',
  {
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').notNull(),
    agencyCode: text('agency_code'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.userId] }),
    index('audit_assignments_user').on(t.userId),
    check('audit_assignments_role', sql`${t.role} in ('lead', 'co-auditor', 'agency')`),
    check('audit_assignments_agency', sql`(${t.role} = 'agency') = (${t.agencyCode} is not null)`),
  ],
)

/** The final evidence judgement per KPI measure: the auditor's, and the moderator's where adjusted. */
export const auditJudgements = pgTable(
  'audit_judgements',
  {
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    measure: text('measure').notNull(),
    auditorValue: text('auditor_value'),
    moderatedValue: text('moderated_value'),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.measure] }),
    check(
      'audit_judgements_values',
      sql`coalesce(${t.auditorValue}, 'consistently') in ('consistently', 'partly', 'not', 'n/a') and coalesce(${t.moderatedValue}, 'consistently') in ('consistently', 'partly', 'not', 'n/a')`,
    ),
  ],
)

/**
 * The themes an audit's excerpts are tagged with: `question_key` names the strengths or areas-for-
 * development answer (empty for audits imported without excerpts), `kind` says which of the two.
 */
export const auditThemes = pgTable(
  'audit_themes',
  {
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull().default(''),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => themes.id),
    kind: text('kind').notNull().default('unclassified'),
    source: text('source').notNull().default('auditor'),
    taggedBy: uuid('tagged_by').references(() => users.id),
    taggedAt: timestamp('tagged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.questionKey, t.themeId] }),
    index('audit_themes_theme').on(t.themeId),
    check('audit_themes_kind', sql`${t.kind} in ('strength', 'development', 'unclassified')`),
    check('audit_themes_source', sql`${t.source} in ('auditor', 'moderator', 'import')`),
  ],
)

/** Every answer of a submitted audit, as relational rows: what reports and moderation read. */
export const auditAnswers = pgTable(
  'audit_answers',
  {
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull(),
    questionType: text('question_type').notNull(),
    auditorValue: text('auditor_value'),
    moderatedValue: text('moderated_value'),
    /** 'agreed' or 'changed' once a moderator has decided ('overturned' after a dispute); null before. */
    moderationOutcome: text('moderation_outcome'),
    moderationRationale: text('moderation_rationale'),
    moderatedBy: uuid('moderated_by').references(() => users.id),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.auditId, t.questionKey] })],
)

/** The moderation share per template, set by a lead; a template without a row uses 100%. */
export const moderationPolicies = pgTable(
  'moderation_policies',
  {
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    templateCode: text('template_code').notNull(),
    samplePercent: integer('sample_percent').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.templateCode] }),
    check('moderation_policies_percent', sql`${t.samplePercent} between 0 and 100`),
  ],
)

/** Every change of an audit's moderation state, with who and when: nothing is overwritten. */
export const moderationEvents = pgTable(
  'moderation_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('moderation_events_audit').on(t.auditId, t.at),
    check(
      'moderation_events_kind',
      sql`${t.kind} in ('queued', 'not-sampled', 'flagged', 'picked-up', 'returned', 'decided', 'disputed', 'resolved', 'retagged')`,
    ),
  ],
)

/** An auditor's one dispute of a moderation decision, and the lead's final resolution. */
export const moderationDisputes = pgTable(
  'moderation_disputes',
  {
    auditId: uuid('audit_id')
      .primaryKey()
      .references(() => audits.id, { onDelete: 'cascade' }),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    outcome: text('outcome'),
    resolution: text('resolution'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'moderation_disputes_outcome',
      sql`coalesce(${t.outcome}, 'upheld') in ('upheld', 'overturned')`,
    ),
    check(
      'moderation_disputes_resolved',
      sql`(${t.resolvedBy} is null) = (${t.outcome} is null) and (${t.outcome} is null) = (${t.resolvedAt} is null)`,
    ),
  ],
)

/** The plan's measures that are not audit-derived (A3.1, A3.6): a lead enters one value a month. */
export const manualMeasures = pgTable(
  'manual_measures',
  {
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    measure: text('measure').notNull(),
    cycle: text('cycle').notNull(),
    value: numeric('value', { precision: 7, scale: 1, mode: 'number' }).notNull(),
    enteredBy: uuid('entered_by').references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.measure, t.cycle] }),
    check('manual_measures_measure', sql`${t.measure} in ('A3.1', 'A3.6')`),
    check('manual_measures_cycle', sql`${t.cycle} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('manual_measures_value', sql`${t.value} >= 0`),
  ],
)

/**
 * What an audit agreed with the practitioner: what, who owns it, by when. Open until its owner (or
 * the lead auditor) records it done with what changed; overdue is an open action past its date,
 * worked out when read, never stored.
 */
export const auditActions = pgTable(
  'audit_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    dueDate: date('due_date').notNull(),
    status: text('status').notNull().default('open'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedBy: uuid('completed_by').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completionNote: text('completion_note'),
  },
  (t) => [
    index('audit_actions_audit').on(t.auditId),
    index('audit_actions_owner').on(t.ownerId, t.status),
    index('audit_actions_council_status').on(t.councilId, t.status, t.dueDate),
    check('audit_actions_status', sql`${t.status} in ('open', 'done')`),
    check(
      'audit_actions_done',
      sql`(${t.status} = 'done') = (${t.completedAt} is not null and ${t.completionNote} is not null)`,
    ),
  ],
)
