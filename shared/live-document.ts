import * as Y from 'yjs'
import { z } from 'zod'
import type { Section, Template } from './templates/schema'

/**
 * The live documents of an audit, and their layout. An audit has one document for the sections its
 * lead auditor and co-auditors complete (`audit.<id>`), and in a multi-agency audit one for each
 * agency's section (`audit.<id>.<agency>`), so that the server can give each auditor write access to
 * exactly their part by document. Names carry what they are, so the server authorises without guessing.
 */
export const DocumentNameSchema = z.union([
  z
    .string()
    .regex(/^audit\.[0-9a-f-]{36}(\.[a-z0-9]+(-[a-z0-9]+)*)?$/)
    .transform((name) => {
      const [, auditId, part] = name.split('.')
      return { kind: 'audit' as const, auditId: auditId ?? '', part: part ?? LEAD_PART }
    }),
  z
    .string()
    .regex(/^moderation\.[0-9a-f-]{36}(\.discussion)?$/)
    .transform((name) => {
      const [, auditId, part] = name.split('.')
      return { kind: 'moderation' as const, auditId: auditId ?? '', part: part ?? 'decisions' }
    }),
])
export type DocumentName = z.infer<typeof DocumentNameSchema>

/** The part of an audit its lead auditor and co-auditors complete. */
export const LEAD_PART = 'lead'

export function documentName(auditId: string, part: string = LEAD_PART): string {
  return part === LEAD_PART ? `audit.${auditId}` : `audit.${auditId}.${part}`
}

/** Which document a section lives in: its agency's own, or the lead part. */
export function partOfSection(section: Section): string {
  return section.editableBy
}

export function sectionsOfPart(template: Template, part: string): Section[] {
  return template.sections.filter((section) => partOfSection(section) === part)
}

export function partsOf(template: Template): string[] {
  return [...new Set(template.sections.map(partOfSection)), LEAD_PART].filter(
    (p, i, all) => all.indexOf(p) === i,
  )
}

/** Answers live in one root map, keyed `section.question`; the overall grade under `overall`. */
export const ANSWERS_MAP = 'answers'
export const OVERALL_KEY = 'overall'

export function answerKey(sectionId: string, questionId: string): string {
  return `${sectionId}.${questionId}`
}

/**
 * The empty document of one part, with a Y.Text already in place for every free-text answer: made
 * once by the server, so two auditors' first keystrokes never create two competing texts.
 */
export function buildSkeleton(template: Template, part: string): Y.Doc {
  const doc = new Y.Doc()
  const answers = doc.getMap(ANSWERS_MAP)
  doc.transact(() => {
    for (const section of sectionsOfPart(template, part)) {
      for (const question of section.questions) {
        if (question.type === 'text') answers.set(answerKey(section.id, question.id), new Y.Text())
      }
    }
  })
  return doc
}

export type Answers = Record<string, string>

/** What a part's document says, as plain values: texts as strings, choices as their codes. */
export function readAnswers(doc: Y.Doc): Answers {
  const answers: Answers = {}
  doc.getMap(ANSWERS_MAP).forEach((value, key) => {
    if (value instanceof Y.Text) answers[key] = value.toString()
    else if (typeof value === 'string') answers[key] = value
  })
  return answers
}
