import type { ExcerptTag } from '../db/queries/learning'
import { randomBytes } from 'node:crypto'
import { hash } from '@node-rs/argon2'
import type { AppLoadContext } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { planAudits, submitAudit } from '../db/queries/audits'
import { upsertCaseFiles } from '../db/queries/case-files'
import { getTemplateDefinitionById, listLatestTemplateVersions } from '../db/queries/templates'
import { audits, caseFiles, teams } from '../db/schema/index'
import { createCouncilWithDefaults, createTeam, listAgencies } from '../db/queries/organisation'
import { createUser } from '../db/queries/users'
import type { Evidence, Grade } from '../shared/grading'
import { answerKey, OVERALL_KEY, type Answers } from '../shared/live-document'
import type { Role } from '../shared/roles'
import { checkSubmission } from '../shared/submission'
import type { Template } from '../shared/templates/schema'

export const TEST_PASSWORD = 'correct horse battery staple'
let passwordHash: Promise<string> | undefined

export async function makeCouncil(db: Db, code = `c${randomBytes(4).toString('hex')}`) {
  const councilId = await createCouncilWithDefaults(db, {
    code,
    name: `Council ${code}`,
    serviceName: 'Case file audit',
  })
  const teamId = await createTeam(db, {
    councilId,
    serviceCode: 'cin',
    code: 'cin-1',
    name: 'CIN 1',
  })
  const agencies = new Map((await listAgencies(db, { councilId })).map((a) => [a.code, a.id]))
  return { councilId, code, teamId, agencies }
}

export async function makeUser(
  db: Db,
  params: {
    councilId: string
    roles: Role[]
    email?: string
    name?: string
    agencyId?: string | null
    teamId?: string | null
  },
) {
  passwordHash ??= hash(TEST_PASSWORD)
  const email =
    params.email ?? `${params.roles.join('-')}.${randomBytes(4).toString('hex')}@test.invalid`
  const id = await createUser(db, {
    councilId: params.councilId,
    name: params.name ?? `Test ${params.roles.join(' ')}`,
    email,
    roles: params.roles,
    agencyId: params.agencyId ?? null,
    teamId: params.teamId ?? null,
    passwordHash: await passwordHash,
  })
  return { id, email }
}

/** The load context the server builds (server/app.ts), around a real database. */
export function makeLoadContext(
  db: Db,
  overrides: Partial<AppLoadContext['settings']> = {},
  clientAddress = '127.0.0.1',
): AppLoadContext {
  return {
    db,
    cspNonce: 'test',
    clientAddress,
    realtime: { freeze: async () => {}, unfreeze: () => {}, closeForGood: () => {} },
    settings: {
      idleTimeoutSeconds: 1800,
      idleWarningSeconds: 120,
      loginMaxFailures: 10,
      loginPauseMinutes: 15,
      loginMaxFailuresPerAddress: 100,
      ...overrides,
    },
  }
}

/** A case file in the council's first team, optionally allocated to a worker. */
export async function makeCaseFile(
  db: Db,
  params: { councilId: string; teamId: string; caseRef?: string; workerId?: string | null },
) {
  const [service] = await db
    .select({ id: teams.serviceId })
    .from(teams)
    .where(eq(teams.id, params.teamId))
  const caseRef = params.caseRef ?? `C${randomBytes(4).toString('hex')}`
  await upsertCaseFiles(db, {
    councilId: params.councilId,
    cases: [
      {
        caseRef,
        teamId: params.teamId,
        serviceId: service?.id ?? '',
        workerId: params.workerId ?? null,
        ageBand: null,
      },
    ],
  })
  const [row] = await db
    .select({ id: caseFiles.id, serviceId: caseFiles.serviceId })
    .from(caseFiles)
    .where(eq(caseFiles.caseRef, caseRef))
  if (!row) throw new Error('case file not created')
  return { id: row.id, caseRef, teamId: params.teamId, serviceId: row.serviceId }
}

/** One planned audit of a case, with its assignments. */
export async function makeAudit(
  db: Db,
  params: {
    councilId: string
    caseFile: { id: string; teamId: string; serviceId: string }
    leadAuditorId: string
    coAuditorIds?: string[]
    agencyAuditors?: { agencyCode: string; userId: string }[]
    cycle?: string
    template?: string
  },
) {
  const templates = await listLatestTemplateVersions(db, { councilId: params.councilId })
  const template = templates.find((t) => t.code === (params.template ?? 'lived-experience'))
  if (!template) throw new Error('no template')
  const [id] = await planAudits(db, {
    councilId: params.councilId,
    cycle: params.cycle ?? '2026-11',
    templateVersionId: template.id,
    dueDate: '2026-11-30',
    audits: [
      {
        caseFileId: params.caseFile.id,
        teamId: params.caseFile.teamId,
        serviceId: params.caseFile.serviceId,
        leadAuditorId: params.leadAuditorId,
        coAuditorIds: params.coAuditorIds ?? [],
        agencyAuditors: params.agencyAuditors ?? [],
      },
    ],
  })
  if (!id) throw new Error('audit not planned')
  return id
}

/** A whole, valid set of answers for a template: every grade `grade`, every evidence `evidence`. */
export function completeAnswers(
  template: Template,
  grade: Grade = 'good',
  evidence: Evidence = 'consistently',
): Answers {
  const answers: Answers = { [OVERALL_KEY]: grade }
  for (const section of template.sections) {
    for (const question of section.questions) {
      const key = answerKey(section.id, question.id)
      if (question.type === 'grade') answers[key] = grade
      else if (question.type === 'evidence') answers[key] = evidence
      else if (question.type === 'compliance') answers[key] = 'yes'
      else answers[key] = `Evidence for ${question.label.toLowerCase()}`
    }
  }
  return answers
}

/** An audit submitted by its lead auditor with complete answers (see completeAnswers). */
export async function makeSubmittedAudit(
  db: Db,
  params: Parameters<typeof makeAudit>[1] & {
    grade?: Grade
    evidence?: Evidence
    flagReason?: string
    /** Answers to use instead of the complete defaults, by key (an excerpt's text, say). */
    texts?: Record<string, string>
    /** The excerpts' themes, as if the auditors had tagged them. */
    themes?: ExcerptTag[]
  },
) {
  const auditId = await makeAudit(db, params)
  const [audit] = await db
    .select({ templateVersionId: audits.templateVersionId })
    .from(audits)
    .where(eq(audits.id, auditId))
  const template = await getTemplateDefinitionById(db, {
    councilId: params.councilId,
    id: audit?.templateVersionId ?? '',
  })
  if (!template) throw new Error('no template')
  const check = checkSubmission(template, {
    ...completeAnswers(template, params.grade, params.evidence),
    ...params.texts,
  })
  if (!check.ok) throw new Error(`incomplete answers: ${check.missing[0]?.message}`)
  const submitted = await submitAudit(db, {
    councilId: params.councilId,
    auditId,
    submittedBy: params.leadAuditorId,
    ...check.submission,
    themes: params.themes,
    flagReason: params.flagReason,
  })
  if (!submitted) throw new Error('not submitted')
  return { auditId, template }
}
