import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import type { Period } from '../../shared/kpis'
import type { ExcerptKind, ThemeCount } from '../../shared/themes'
import type { Queryable } from '../client'
import {
  auditAnswers,
  auditThemes,
  audits,
  caseFiles,
  moderationEvents,
  services,
  teams,
  templateVersions,
  themes,
  users,
} from '../schema/index'

/** The council's themes, in name order; retired ones only when asked for. */
export async function listThemes(
  db: Queryable,
  params: { councilId: string; includeRetired?: boolean },
) {
  return db
    .select({
      id: themes.id,
      code: themes.code,
      label: themes.label,
      keywords: themes.keywords,
      retiredAt: themes.retiredAt,
    })
    .from(themes)
    .where(
      and(
        eq(themes.councilId, params.councilId),
        params.includeRetired ? undefined : isNull(themes.retiredAt),
      ),
    )
    .orderBy(asc(themes.label))
}

/** Adds a theme; false when the council already has one with that code. */
export async function addTheme(
  db: Queryable,
  params: { councilId: string; code: string; label: string; keywords: string[] },
): Promise<boolean> {
  const rows = await db
    .insert(themes)
    .values(params)
    .onConflictDoNothing({ target: [themes.councilId, themes.code] })
    .returning({ id: themes.id })
  return rows.length > 0
}

/** Renames a theme or tunes its keywords; its code (what tags and exports use) never changes. */
export async function updateTheme(
  db: Queryable,
  params: { councilId: string; code: string; label: string; keywords: string[] },
): Promise<boolean> {
  const rows = await db
    .update(themes)
    .set({ label: params.label, keywords: params.keywords })
    .where(and(eq(themes.councilId, params.councilId), eq(themes.code, params.code)))
    .returning({ id: themes.id })
  return rows.length > 0
}

/** A retired theme is offered no more, but its tags and history stay; it can be brought back. */
export async function setThemeRetired(
  db: Queryable,
  params: { councilId: string; code: string; retired: boolean },
): Promise<boolean> {
  const rows = await db
    .update(themes)
    .set({ retiredAt: params.retired ? sql`now()` : null })
    .where(and(eq(themes.councilId, params.councilId), eq(themes.code, params.code)))
    .returning({ id: themes.id })
  return rows.length > 0
}

export type ExcerptTag = { questionKey: string; kind: ExcerptKind; theme: string }

/**
 * Stores an audit's tags at submission (inside its transaction). Tags of themes the council does
 * not have, or has retired, are left out: the list is the council's.
 */
export async function storeAuditThemes(
  tx: Queryable,
  params: { councilId: string; auditId: string; taggedBy: string; tags: readonly ExcerptTag[] },
): Promise<void> {
  await tx
    .delete(auditThemes)
    .where(and(eq(auditThemes.auditId, params.auditId), eq(auditThemes.source, 'auditor')))
  if (params.tags.length === 0) return
  const ids = new Map(
    (await listThemes(tx, { councilId: params.councilId })).map((t) => [t.code, t.id]),
  )
  const rows = params.tags.flatMap((tag) => {
    const themeId = ids.get(tag.theme)
    return themeId
      ? [
          {
            auditId: params.auditId,
            questionKey: tag.questionKey,
            themeId,
            kind: tag.kind,
            source: 'auditor',
            taggedBy: params.taggedBy,
          },
        ]
      : []
  })
  if (rows.length > 0) await tx.insert(auditThemes).values(rows).onConflictDoNothing()
}

/** The excerpts of a submitted audit (non-empty strengths and areas for development), with their tags. */
export async function listAuditExcerpts(
  db: Queryable,
  params: { auditId: string; keys: readonly string[] },
) {
  if (params.keys.length === 0) return []
  const rows = await db
    .select({ key: auditAnswers.questionKey, text: auditAnswers.auditorValue })
    .from(auditAnswers)
    .where(
      and(
        eq(auditAnswers.auditId, params.auditId),
        inArray(auditAnswers.questionKey, [...params.keys]),
        sql`coalesce(${auditAnswers.auditorValue}, '') <> ''`,
      ),
    )
  const tags = await db
    .select({ key: auditThemes.questionKey, theme: themes.code, source: auditThemes.source })
    .from(auditThemes)
    .innerJoin(themes, eq(themes.id, auditThemes.themeId))
    .where(eq(auditThemes.auditId, params.auditId))
  const order = new Map(params.keys.map((key, i) => [key, i]))
  return rows
    .sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0))
    .map((row) => ({
      key: row.key,
      text: row.text ?? '',
      themes: tags
        .filter((t) => t.key === row.key)
        .map((t) => t.theme)
        .sort(),
    }))
}

/**
 * A moderator (or lead) changes the themes of one excerpt of a submitted audit. The excerpt's tags
 * become exactly `themes`; the change is kept in the audit's moderation history. Returns the codes
 * added and removed, or undefined when the excerpt is not there.
 */
export async function setExcerptThemes(
  db: Queryable,
  params: {
    councilId: string
    userId: string
    auditId: string
    questionKey: string
    kind: ExcerptKind
    themes: readonly string[]
  },
): Promise<{ added: string[]; removed: string[] } | undefined> {
  return db.transaction(async (tx) => {
    const [audit] = await tx
      .select({ id: audits.id })
      .from(audits)
      .where(
        and(
          eq(audits.id, params.auditId),
          eq(audits.councilId, params.councilId),
          inArray(audits.status, [...COMPLETED_STATUSES]),
        ),
      )
      .for('update')
    if (!audit) return undefined
    const all = await listThemes(tx, { councilId: params.councilId, includeRetired: true })
    const byCode = new Map(all.map((t) => [t.code, t]))
    const current = await tx
      .select({ themeId: auditThemes.themeId, code: themes.code })
      .from(auditThemes)
      .innerJoin(themes, eq(themes.id, auditThemes.themeId))
      .where(
        and(
          eq(auditThemes.auditId, params.auditId),
          eq(auditThemes.questionKey, params.questionKey),
        ),
      )
    const before = new Set(current.map((c) => c.code))
    const after = new Set(params.themes.filter((code) => byCode.get(code)))
    const added = [...after].filter((code) => !before.has(code)).sort()
    const removed = [...before].filter((code) => !after.has(code)).sort()
    if (removed.length > 0) {
      await tx.delete(auditThemes).where(
        and(
          eq(auditThemes.auditId, params.auditId),
          eq(auditThemes.questionKey, params.questionKey),
          inArray(
            auditThemes.themeId,
            removed.map((code) => byCode.get(code)?.id ?? ''),
          ),
        ),
      )
    }
    if (added.length > 0) {
      await tx.insert(auditThemes).values(
        added.map((code) => ({
          auditId: params.auditId,
          questionKey: params.questionKey,
          themeId: byCode.get(code)?.id ?? '',
          kind: params.kind,
          source: 'moderator',
          taggedBy: params.userId,
        })),
      )
    }
    if (added.length > 0 || removed.length > 0) {
      const label = (code: string) => byCode.get(code)?.label ?? code
      const note = [
        added.length > 0 ? `added ${added.map(label).join(', ')}` : '',
        removed.length > 0 ? `removed ${removed.map(label).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')
      await tx.insert(moderationEvents).values({
        auditId: params.auditId,
        kind: 'retagged',
        actorId: params.userId,
        note: `Themes of “${params.questionKey}”: ${note}`,
      })
    }
    return { added, removed }
  })
}

export const THEME_GROUPS = ['team', 'service', 'template'] as const
export type ThemeGroup = (typeof THEME_GROUPS)[number]

function groupColumn(by: ThemeGroup | undefined): SQL {
  if (by === 'team') return sql`${teams.name}`
  if (by === 'service') return sql`${services.label}`
  if (by === 'template') return sql`${templateVersions.title}`
  return sql`''`
}

function completedIn(councilId: string, period: Period): SQL {
  return sql`${audits.councilId} = ${councilId}
    and ${audits.cycle} between ${period.from} and ${period.to}
    and ${inArray(audits.status, [...COMPLETED_STATUSES])}`
}

/**
 * How many completed audits of the period carry each theme, by kind, optionally by group; and how
 * many completed audits each group has (the shares' denominators). An audit counts once per theme
 * and kind however many of its excerpts carry the theme.
 */
export async function themeCounts(
  db: Queryable,
  params: { councilId: string; period: Period; by?: ThemeGroup },
) {
  const group = groupColumn(params.by)
  const from = sql`${audits}
    join ${teams} on ${teams.id} = ${audits.teamId}
    join ${services} on ${services.id} = ${audits.serviceId}
    join ${templateVersions} on ${templateVersions.id} = ${audits.templateVersionId}`
  const [counts, any, completed] = await Promise.all([
    db.execute<ThemeCount & { group: string }>(sql`
      select ${group} as "group", ${themes.code} as code, ${auditThemes.kind} as kind,
        count(distinct ${audits.id})::int as audits
      from ${from}
      join ${auditThemes} on ${auditThemes.auditId} = ${audits.id}
      join ${themes} on ${themes.id} = ${auditThemes.themeId}
      where ${completedIn(params.councilId, params.period)}
      group by 1, 2, 3`),
    db.execute<{ group: string; code: string; audits: number }>(sql`
      select ${group} as "group", ${themes.code} as code, count(distinct ${audits.id})::int as audits
      from ${from}
      join ${auditThemes} on ${auditThemes.auditId} = ${audits.id}
      join ${themes} on ${themes.id} = ${auditThemes.themeId}
      where ${completedIn(params.councilId, params.period)}
      group by 1, 2`),
    db.execute<{ group: string; audits: number }>(sql`
      select ${group} as "group", count(*)::int as audits
      from ${from}
      where ${completedIn(params.councilId, params.period)}
      group by 1`),
  ])
  return { counts: [...counts], any: [...any], completed: [...completed] }
}

/** Per cycle: audits carrying each theme as a strength and as an area for development, and completed audits. */
export async function themeTrend(
  db: Queryable,
  params: { councilId: string; cycles: readonly string[]; theme?: string },
) {
  const period = { from: params.cycles[0] ?? '', to: params.cycles.at(-1) ?? '' }
  const [counts, completed] = await Promise.all([
    db.execute<{ cycle: string; code: string; kind: string; audits: number }>(sql`
      select ${audits.cycle} as cycle, ${themes.code} as code, ${auditThemes.kind} as kind,
        count(distinct ${audits.id})::int as audits
      from ${audits}
      join ${auditThemes} on ${auditThemes.auditId} = ${audits.id}
      join ${themes} on ${themes.id} = ${auditThemes.themeId}
      where ${completedIn(params.councilId, period)}
        ${params.theme ? sql`and ${themes.code} = ${params.theme}` : sql``}
      group by 1, 2, 3`),
    db.execute<{ cycle: string; audits: number }>(sql`
      select ${audits.cycle} as cycle, count(*)::int as audits
      from ${audits}
      where ${completedIn(params.councilId, period)}
      group by 1`),
  ])
  return { counts: [...counts], completed: [...completed] }
}

export const EXCERPTS_PAGE_SIZE = 20

/**
 * The excerpts tagged with a theme in the period, newest cycle first, with what the page needs to
 * depersonalise them (the case reference). The text is the auditor's, as submitted.
 */
export async function themeExcerpts(
  db: Queryable,
  params: {
    councilId: string
    period: Period
    theme: string
    kind?: ExcerptKind
    page: number
  },
) {
  const where = sql`${completedIn(params.councilId, params.period)}
    and ${themes.code} = ${params.theme}
    and ${themes.councilId} = ${params.councilId}
    and ${auditThemes.questionKey} <> ''
    ${params.kind ? sql`and ${auditThemes.kind} = ${params.kind}` : sql``}`
  const from = sql`${auditThemes}
    join ${themes} on ${themes.id} = ${auditThemes.themeId}
    join ${audits} on ${audits.id} = ${auditThemes.auditId}
    join ${auditAnswers} on ${auditAnswers.auditId} = ${audits.id} and ${auditAnswers.questionKey} = ${auditThemes.questionKey}
    join ${caseFiles} on ${caseFiles.id} = ${audits.caseFileId}
    join ${teams} on ${teams.id} = ${audits.teamId}
    join ${templateVersions} on ${templateVersions.id} = ${audits.templateVersionId}`
  const [rows, total] = await Promise.all([
    db.execute<{
      auditId: string
      questionKey: string
      kind: ExcerptKind
      text: string
      cycle: string
      team: string
      template: string
      caseRef: string
    }>(sql`
      select ${audits.id} as "auditId", ${auditThemes.questionKey} as "questionKey",
        ${auditThemes.kind} as kind, ${auditAnswers.auditorValue} as text, ${audits.cycle} as cycle,
        ${teams.name} as team, ${templateVersions.title} as template, ${caseFiles.caseRef} as "caseRef"
      from ${from}
      where ${where} and coalesce(${auditAnswers.auditorValue}, '') <> ''
      order by ${audits.cycle} desc, ${audits.id}, ${auditThemes.questionKey}
      limit ${EXCERPTS_PAGE_SIZE} offset ${(params.page - 1) * EXCERPTS_PAGE_SIZE}`),
    db.execute<{ total: number }>(sql`
      select count(*)::int as total from ${from}
      where ${where} and coalesce(${auditAnswers.auditorValue}, '') <> ''`),
  ])
  return { rows: [...rows], total: total[0]?.total ?? 0 }
}

/** Everyone's name in the council: the depersonaliser removes them from excerpts. */
export async function listPeopleNames(db: Queryable, params: { councilId: string }) {
  const rows = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.councilId, params.councilId))
  return rows.map((r) => r.name)
}
