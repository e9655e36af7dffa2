import { hash } from '@node-rs/argon2'
import { and, eq, isNotNull } from 'drizzle-orm'
import * as Y from 'yjs'
import { GRADE_CODES, type Evidence, type Grade } from '../shared/grading'
import {
  ANSWERS_MAP,
  answerKey,
  buildSkeleton,
  documentName,
  LEAD_PART,
  OVERALL_KEY,
  partsOf,
  sectionsOfPart,
  type Answers,
} from '../shared/live-document'
import { checkDecision, decisionKeys, FEEDBACK_KEY, moderatedQuestions } from '../shared/moderation'
import { addMonths, auditorConflict, cycleOf } from '../shared/programme'
import type { Role } from '../shared/roles'
import { checkSubmission } from '../shared/submission'
import type { Template, TemplateCode } from '../shared/templates/schema'
import type { Db, Tx } from './client'
import {
  auditAnswers,
  auditAssignments,
  audits,
  caseFiles,
  councils,
  moderationEvents,
} from './schema/index'
import {
  createCouncilWithDefaults,
  createTeam,
  listAgencies,
  listServices,
} from './queries/organisation'
import { planAudits, submitAudit, type AuditViewer } from './queries/audits'
import { addAction } from './queries/actions'
import { listThemes, type ExcerptTag } from './queries/learning'
import { addDays, todayIso } from '../shared/actions'
import { excerptQuestions, suggestThemes, type Theme } from '../shared/themes'
import { upsertCaseFiles } from './queries/case-files'
import { createInitialSnapshot } from './queries/documents'
import { pickUpAudit, recordDecision } from './queries/moderation'
import { getTemplateDefinitionById, listLatestTemplateVersions } from './queries/templates'
import { createUser } from './queries/users'

export const DEMO_PASSWORD = 'demo-audit-2026'

export const DEMO_TEAMS = [
  { code: 'eh-hub', name: 'Early Help Hub', serviceCode: 'early-help' },
  { code: 'front-door', name: 'Front Door and MASH', serviceCode: 'front-door' },
  { code: 'cin-north', name: 'Children in Need North', serviceCode: 'cin' },
  { code: 'cin-south', name: 'Children in Need South', serviceCode: 'cin' },
  { code: 'cp-east', name: 'Child Protection East', serviceCode: 'cp' },
  { code: 'cic-1', name: 'Children in Care 1', serviceCode: 'cic' },
  { code: 'leaving-care', name: 'Leaving Care', serviceCode: 'care-leavers' },
  { code: 'cwd', name: 'Children with Disabilities', serviceCode: 'disabled-children' },
] as const

type DemoUser = { email: string; name: string; roles: Role[]; agency: string; team?: string }

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'auditor@demo.test',
    name: 'Amira Khan',
    roles: ['auditor'],
    agency: 'csc',
    team: 'cin-north',
  },
  {
    email: 'auditor2@demo.test',
    name: 'Ben Taylor',
    roles: ['auditor'],
    agency: 'csc',
    team: 'cp-east',
  },
  { email: 'health.auditor@demo.test', name: 'Hannah Lewis', roles: ['auditor'], agency: 'health' },
  { email: 'police.auditor@demo.test', name: 'Paul Okafor', roles: ['auditor'], agency: 'police' },
  { email: 'moderator@demo.test', name: 'Maria Santos', roles: ['moderator'], agency: 'csc' },
  { email: 'lead@demo.test', name: 'Leah Morgan', roles: ['lead'], agency: 'csc' },
  {
    email: 'practitioner@demo.test',
    name: 'Priya Shah',
    roles: ['practitioner'],
    agency: 'csc',
    team: 'cin-north',
  },
  { email: 'admin@demo.test', name: 'Adam Wright', roles: ['admin'], agency: 'csc' },
]

/** Case references as a case management system issues them (a person id); no child's name anywhere. */
const DEMO_CASES_PER_TEAM = 6
const AGE_BANDS_CYCLE = ['0-4', '5-9', '10-15', '16-17'] as const

export class SeedRefusedError extends Error {}

/**
 * Demo data, only ever into an empty database: it never mixes with a council's real records. The
 * audit history is placed in the two months before `today`'s.
 */
export async function seedDemoData(db: Db, options: { today?: Date } = {}): Promise<void> {
  const existing = await db.$count(councils)
  if (existing > 0) {
    throw new SeedRefusedError(
      'The database already has data; demo data is only seeded into an empty one.',
    )
  }
  const passwordHash = await hash(DEMO_PASSWORD)
  await db.transaction(async (tx) => {
    const councilId = await createCouncilWithDefaults(tx, {
      code: 'demo',
      name: 'Demo Borough Council',
      serviceName: 'Case file audit',
    })
    const teamIds = new Map<string, string>()
    for (const team of DEMO_TEAMS)
      teamIds.set(team.code, await createTeam(tx, { councilId, ...team }))
    const agencyIds = new Map((await listAgencies(tx, { councilId })).map((a) => [a.code, a.id]))
    const userIds = new Map<string, string>()
    for (const user of DEMO_USERS) {
      const id = await createUser(tx, {
        councilId,
        email: user.email,
        name: user.name,
        roles: user.roles,
        agencyId: agencyIds.get(user.agency) ?? null,
        teamId: user.team ? (teamIds.get(user.team) ?? null) : null,
        passwordHash,
      })
      userIds.set(user.email, id)
    }
    const serviceIds = new Map((await listServices(tx, { councilId })).map((s) => [s.code, s.id]))
    const practitionerId = userIds.get('practitioner@demo.test') ?? null
    await upsertCaseFiles(tx, {
      councilId,
      cases: DEMO_TEAMS.flatMap((team, t) =>
        Array.from({ length: DEMO_CASES_PER_TEAM }, (_, i) => ({
          caseRef: String(100_100 + t * 100 + i * 7),
          teamId: teamIds.get(team.code) ?? '',
          serviceId: serviceIds.get(team.serviceCode) ?? '',
          // The demo practitioner holds the first four cases of their own team; the fourth is
          // audited last month, so they have findings and actions to see.
          workerId: team.code === 'cin-north' && i < 4 ? practitionerId : null,
          ageBand: AGE_BANDS_CYCLE[(t + i) % AGE_BANDS_CYCLE.length] ?? null,
        })),
      ),
    })
    await seedDemoHistory(tx, { councilId, teamIds, userIds, today: options.today ?? new Date() })
  })
}

type HistoryAudit = {
  cycle: string
  caseFile: { id: string; teamId: string; serviceId: string; workerId: string | null }
  template: TemplateCode
  moderate: boolean
}

// The cases audited each month, by position in their team's six: the first three never are, so
// every team keeps cases for the programme's random samples and for planning by hand. Children in
// Need North's are audited only last month: the programme's demo samples that team, and a case
// audited last month is left out of the next months' samples.
function historyPositions(teamCode: string, month: 'older' | 'last'): number[] {
  if (teamCode === 'cin-north') return month === 'last' ? [3, 4] : []
  return month === 'last' ? [3] : [4, 5]
}
const HISTORY_TEMPLATES: readonly TemplateCode[] = [
  'lived-experience',
  'management-oversight',
  'strength-based',
  'supervision',
  'multi-agency',
]
/** Last month's audits still waiting for a moderator, so the moderation queue has work. */
const WAITING_FOR_MODERATION = 4

/** mulberry32: a small generator of floats in [0, 1); the same seed makes the same history. */
function seededRandom(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One of `choices`, each with its weight. */
function pick<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
  let r = random() * total
  for (const [choice, weight] of choices) {
    r -= weight
    if (r < 0) return choice
  }
  return choices[choices.length - 1]![0]
}

const EVIDENCE_ORDER = ['consistently', 'partly', 'not'] as const

const EVIDENCE_BY_GRADE: Record<Grade, readonly (readonly [Evidence, number])[]> = {
  outstanding: [
    ['consistently', 90],
    ['partly', 5],
    ['n/a', 5],
  ],
  good: [
    ['consistently', 70],
    ['partly', 25],
    ['n/a', 5],
  ],
  'requires-improvement': [
    ['consistently', 25],
    ['partly', 55],
    ['not', 15],
    ['n/a', 5],
  ],
  inadequate: [
    ['partly', 30],
    ['not', 65],
    ['n/a', 5],
  ],
}

const TEXT_ANSWERS = [
  'Recorded in the case notes and the most recent assessment.',
  'Seen in the chronology and the current plan; visits are recorded within timescales.',
  'The record shows this in part: some visit notes lack detail about what the child said.',
  'Discussed with the practitioner, who described the work; the record reflects it.',
  'Evidenced in supervision notes and the review of the plan.',
] as const

/**
 * What auditors write under "what is working well?" and "what needs to improve?": the excerpts that
 * learning themes are tagged on. Two mention a (made-up) child by first name, as real ones do; the
 * themes pages show them depersonalised.
 */
const STRENGTHS = [
  'The child was seen alone at every visit and their wishes and feelings are recorded in their own words.',
  'Jayden’s views shaped the plan: he asked to stay at his school and the plan says how.',
  'A clear chronology of significant events helped the new worker understand the history quickly.',
  'Management oversight is recorded at each key decision, with a rationale the family could understand.',
  'Supervision was reflective: the worker explored hypotheses about the risk and its emotional impact.',
  'Good information sharing with the health visitor and school through the core group.',
  'The danger statement and safety goal were written with the family, with their network in the plan.',
  'The child’s culture, faith and language are understood and reflected in the plan.',
] as const
const DEVELOPMENTS = [
  'Visit notes record who was present but not what the child said; the child’s voice is missing.',
  'The plan is not SMART: actions have no timescales and outcomes are not measurable.',
  'There is no up-to-date chronology, so patterns of harm were missed.',
  'Drift and delay were not identified: no management decision for three months.',
  'Supervision records are brief and list tasks; there is no reflection on the risk to Amira.',
  'Risk analysis does not weigh the protective factors against the harm.',
  'Partner agencies were not invited to the strategy discussion and information was not shared.',
  'Life-story work has not started, though the plan promised it six months ago.',
  'The assessment does not consider the child’s identity, heritage or disability.',
] as const

/** A complete audit as an auditor would write it, around an overall grade. */
function demoAnswers(template: Template, random: () => number): Answers {
  const overall = pick<Grade>(random, [
    ['outstanding', 8],
    ['good', 45],
    ['requires-improvement', 33],
    ['inadequate', 14],
  ])
  const rank = GRADE_CODES.indexOf(overall)
  const answers: Answers = { [OVERALL_KEY]: overall }
  for (const section of template.sections) {
    for (const question of section.questions) {
      const key = answerKey(section.id, question.id)
      if (question.type === 'grade') {
        const shift = pick(random, [
          [-1, 20],
          [0, 60],
          [1, 20],
        ] as const)
        answers[key] = GRADE_CODES[Math.min(3, Math.max(0, rank + shift))]!
      } else if (question.type === 'evidence') {
        answers[key] = pick(random, EVIDENCE_BY_GRADE[overall])
      } else if (question.type === 'compliance') {
        answers[key] = pick(random, [
          ['yes', 70],
          ['no', 20],
          ['n/a', 10],
        ] as const)
      } else {
        const texts =
          question.id === 'strengths'
            ? STRENGTHS
            : question.id === 'areas-for-development'
              ? DEVELOPMENTS
              : TEXT_ANSWERS
        answers[key] = texts[Math.floor(random() * texts.length)]!
      }
    }
  }
  return answers
}

/** How a demo auditor's judgements fare in moderation: Amira grades generously, Ben closely. */
type Leniency = { lower: number; raise: number; lowerOverall: number; raiseOverall: number }
const LENIENCY: Record<string, Leniency> = {
  'auditor@demo.test': { lower: 0.1, raise: 0.02, lowerOverall: 0.4, raiseOverall: 0.02 },
  'auditor2@demo.test': { lower: 0.04, raise: 0.04, lowerOverall: 0.12, raiseOverall: 0.12 },
}

const LOWERING_REASONS = [
  'The record does not show the child was seen alone in the last six months.',
  'Plans are not SMART: actions have no timescales and no one is named to do them.',
  'Management decisions are recorded without a rationale at two key points.',
  'The assessment describes risks but not what the child’s day is like.',
] as const
const RAISING_REASONS = [
  'The chronology and recent visits evidence this more fully than the audit says.',
  'Supervision notes show reflective discussion of the child’s experience.',
] as const
const FLAG_REASON = 'I was unsure between Good and Requires improvement for the overall grade.'
const MULTI_AGENCY_FLAG_REASON =
  'A complex case with several agencies: please check the judgements.'
const FEEDBACK = [
  'A thorough audit. Look for the child’s own words before grading their voice.',
  'Good use of evidence. Grade the impact on the child, not only compliance.',
  'Clear and well-evidenced; agreed.',
] as const

/** The moderator's decisions on an audit: mostly agreed, some moved a step or two. */
function demoDecisions(
  template: Template,
  answers: Answers,
  leniency: Leniency,
  random: () => number,
): Record<string, unknown> {
  const decisions: Record<string, unknown> = {
    [FEEDBACK_KEY]: FEEDBACK[Math.floor(random() * FEEDBACK.length)],
  }
  for (const question of moderatedQuestions(template)) {
    const keys = decisionKeys(question.key)
    const order: readonly string[] = question.type === 'grade' ? GRADE_CODES : EVIDENCE_ORDER
    const at = order.indexOf(answers[question.key] ?? '')
    const overall = question.key === OVERALL_KEY
    const r = random()
    const lower = overall ? leniency.lowerOverall : leniency.lower
    const raise = overall ? leniency.raiseOverall : leniency.raise
    const steps = r < lower ? (random() < 0.25 ? 2 : 1) : r < lower + raise ? -1 : 0
    const target = Math.min(order.length - 1, Math.max(0, at + steps))
    if (at < 0 || target === at) {
      decisions[keys.outcome] = 'agree'
      continue
    }
    const reasons = steps > 0 ? LOWERING_REASONS : RAISING_REASONS
    decisions[keys.outcome] = 'change'
    decisions[keys.value] = order[target]
    decisions[keys.rationale] = reasons[Math.floor(random() * reasons.length)]
  }
  return decisions
}

/** The live documents an audit's auditors would have left behind: its working copy. */
async function storeLiveDocuments(
  tx: Tx,
  params: { councilId: string; auditId: string; template: Template; answers: Answers },
): Promise<void> {
  for (const part of partsOf(params.template)) {
    const doc = buildSkeleton(params.template, part)
    const map = doc.getMap(ANSWERS_MAP)
    doc.transact(() => {
      for (const section of sectionsOfPart(params.template, part)) {
        for (const question of section.questions) {
          const key = answerKey(section.id, question.id)
          const value = params.answers[key] ?? ''
          const text = map.get(key)
          if (text instanceof Y.Text) text.insert(0, value)
          else map.set(key, value)
        }
      }
      if (part === LEAD_PART) map.set(OVERALL_KEY, params.answers[OVERALL_KEY] ?? '')
    })
    await createInitialSnapshot(tx, {
      councilId: params.councilId,
      documentName: documentName(params.auditId, part),
      state: Y.encodeStateAsUpdate(doc),
    })
    doc.destroy()
  }
}

const ACTIONS = [
  'Record the child’s own words at each visit and show how they changed the plan.',
  'Update the chronology with the last six months’ significant events.',
  'Rewrite the plan with SMART actions, named owners and timescales, with the family.',
  'Discuss the case in supervision and record the reflection and decisions.',
] as const

/** The themes an auditor would tag: the first two suggestions for each excerpt. */
function demoThemes(template: Template, answers: Answers, themes: readonly Theme[]): ExcerptTag[] {
  return excerptQuestions(template).flatMap((excerpt) =>
    suggestThemes(answers[excerpt.key] ?? '', themes)
      .slice(0, 2)
      .map((s) => ({ questionKey: excerpt.key, kind: excerpt.kind, theme: s.code })),
  )
}

/** Planned before the audit's month, submitted in it, moderated after: never after `today`. */
async function backdate(
  tx: Tx,
  params: { auditId: string; plannedAt: Date; submittedAt: Date; moderatedAt: Date | null },
): Promise<void> {
  const { auditId, plannedAt, submittedAt, moderatedAt } = params
  await tx
    .update(audits)
    .set({
      createdAt: plannedAt,
      submittedAt,
      updatedAt: moderatedAt ?? submittedAt,
      ...(moderatedAt ? { moderatedAt } : {}),
    })
    .where(eq(audits.id, auditId))
  await tx
    .update(auditAssignments)
    .set({ assignedAt: plannedAt })
    .where(eq(auditAssignments.auditId, auditId))
  const at = (kind: (typeof moderationEvents.$inferSelect)['kind'], when: Date) =>
    tx
      .update(moderationEvents)
      .set({ at: when })
      .where(and(eq(moderationEvents.auditId, auditId), eq(moderationEvents.kind, kind)))
  await at('queued', submittedAt)
  if (!moderatedAt) return
  await tx
    .update(auditAnswers)
    .set({ moderatedAt })
    .where(and(eq(auditAnswers.auditId, auditId), isNotNull(auditAnswers.moderatedAt)))
  await at('picked-up', new Date(moderatedAt.getTime() - HOUR_MS))
  await at('decided', moderatedAt)
}

const DAY_MS = 24 * 60 * 60 * 1000
const HOUR_MS = 60 * 60 * 1000

/**
 * The demo's history: two months of audits across the teams and templates, submitted by the two
 * demo auditors and moderated by the demo moderator, so moderation and calibration show real
 * figures. Everything goes through the same functions as the app (planning, the submission check,
 * submission, pick-up, the decision check, the decision), so the rows are what real use stores.
 */
async function seedDemoHistory(
  tx: Tx,
  params: {
    councilId: string
    teamIds: Map<string, string>
    userIds: Map<string, string>
    today: Date
  },
): Promise<void> {
  const { councilId, userIds } = params
  const random = seededRandom(2026)
  const id = (email: string) => userIds.get(email) ?? ''
  const teamOf = new Map(
    DEMO_USERS.map((u) => [u.email, u.team ? params.teamIds.get(u.team) : null]),
  )
  const leads = ['auditor@demo.test', 'auditor2@demo.test'].map((email) => ({
    email,
    id: id(email),
    teamId: teamOf.get(email) ?? null,
  }))
  const moderator: AuditViewer = {
    id: id('moderator@demo.test'),
    councilId,
    roles: ['moderator'],
    active: true,
  }
  const templates = new Map<string, { id: string; definition: Template }>()
  for (const version of await listLatestTemplateVersions(tx, { councilId })) {
    const definition = await getTemplateDefinitionById(tx, { councilId, id: version.id })
    if (definition) templates.set(version.code, { id: version.id, definition })
  }
  const themes = await listThemes(tx, { councilId })
  const cases = await tx
    .select({
      id: caseFiles.id,
      caseRef: caseFiles.caseRef,
      teamId: caseFiles.teamId,
      serviceId: caseFiles.serviceId,
      workerId: caseFiles.workerId,
    })
    .from(caseFiles)
    .where(eq(caseFiles.councilId, councilId))
    .orderBy(caseFiles.caseRef)
  const byTeam = DEMO_TEAMS.map((team) =>
    cases.filter((c) => c.teamId === params.teamIds.get(team.code)),
  )

  const lastMonth = addMonths(cycleOf(params.today), -1)
  const olderMonth = addMonths(cycleOf(params.today), -2)
  const plan: HistoryAudit[] = []
  for (const [cycle, month] of [
    [olderMonth, 'older'],
    [lastMonth, 'last'],
  ] as const) {
    DEMO_TEAMS.forEach((team, t) => {
      for (const position of historyPositions(team.code, month)) {
        const caseFile = byTeam[t]?.[position]
        if (!caseFile) continue
        plan.push({
          cycle,
          caseFile,
          template: HISTORY_TEMPLATES[plan.length % HISTORY_TEMPLATES.length]!,
          moderate: true,
        })
      }
    })
  }
  for (const audit of plan.slice(-WAITING_FOR_MODERATION)) audit.moderate = false

  for (const [index, audit] of plan.entries()) {
    const template = templates.get(audit.template)
    if (!template) throw new Error(`the demo council has no ${audit.template} template`)
    const eligible = leads.filter((lead) => auditorConflict(lead, audit.caseFile) === null)
    const lead = eligible[index % eligible.length]
    if (!lead) throw new Error('no demo auditor may audit this case')
    const [auditId] = await planAudits(tx, {
      councilId,
      cycle: audit.cycle,
      templateVersionId: template.id,
      dueDate: `${addMonths(audit.cycle, 1)}-01`,
      audits: [
        {
          caseFileId: audit.caseFile.id,
          teamId: audit.caseFile.teamId,
          serviceId: audit.caseFile.serviceId,
          leadAuditorId: lead.id,
          coAuditorIds: [],
          agencyAuditors:
            audit.template === 'multi-agency'
              ? [
                  { agencyCode: 'health', userId: id('health.auditor@demo.test') },
                  { agencyCode: 'police', userId: id('police.auditor@demo.test') },
                ]
              : [],
        },
      ],
    })
    if (!auditId) throw new Error('demo audit not planned')
    const answers = demoAnswers(template.definition, random)
    await storeLiveDocuments(tx, { councilId, auditId, template: template.definition, answers })
    const check = checkSubmission(template.definition, answers)
    if (!check.ok) throw new Error(`demo audit incomplete: ${check.missing[0]?.message}`)
    // Audits still waiting were flagged by their auditor unless the grade alone put them in the queue.
    const extreme = ['inadequate', 'outstanding'].includes(check.submission.overallGrade)
    await submitAudit(tx, {
      councilId,
      auditId,
      submittedBy: lead.id,
      ...check.submission,
      themes: demoThemes(template.definition, answers, themes),
      ...(audit.moderate || extreme
        ? {}
        : {
            flagReason: audit.template === 'multi-agency' ? MULTI_AGENCY_FLAG_REASON : FLAG_REASON,
          }),
    })

    const monthStart = Date.parse(`${audit.cycle}-01T09:00:00Z`)
    const latest = params.today.getTime() - HOUR_MS
    const submittedAt = new Date(
      Math.min(latest - DAY_MS, monthStart + (10 + Math.floor(random() * 16)) * DAY_MS),
    )
    let moderatedAt: Date | null = null
    if (audit.moderate) {
      const decision = checkDecision(
        template.definition,
        answers,
        demoDecisions(template.definition, answers, LENIENCY[lead.email]!, random),
      )
      if (!decision.ok) throw new Error(`demo decision refused: ${decision.problems[0]?.message}`)
      const picked = await pickUpAudit(tx, { user: moderator, auditId })
      const recorded = await recordDecision(tx, {
        user: moderator,
        auditId,
        decision: decision.decision,
      })
      if (!picked.ok || !recorded.ok) throw new Error('demo audit not moderated')
      moderatedAt = new Date(
        Math.min(latest, submittedAt.getTime() + (2 + Math.floor(random() * 8)) * DAY_MS),
      )
    }
    // Every third audit, and every audit of a case with a worker, agreed an action with the case's
    // worker (or, with none, the lead auditor): some now overdue, some due soon.
    if (index % 3 === 0 || audit.caseFile.workerId !== null) {
      const added = await addAction(tx, {
        councilId,
        userId: lead.id,
        auditId,
        description: ACTIONS[index % ACTIONS.length]!,
        ownerId: audit.caseFile.workerId ?? lead.id,
        dueDate: addDays(todayIso(params.today), [-12, 9, 24][index % 3]!),
      })
      if (!added.ok) throw new Error(`demo action refused: ${added.failure}`)
    }
    await backdate(tx, {
      auditId,
      plannedAt: new Date(Math.min(submittedAt.getTime(), monthStart) - 14 * DAY_MS),
      submittedAt,
      moderatedAt,
    })
  }
}
