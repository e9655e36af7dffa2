import { describe, expect, it } from 'vitest'
import { GRADE_CODES } from '../grading'
import { GRADE_DESCRIPTORS, GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import { BUILT_IN_TEMPLATES, getBuiltInTemplate } from './index'
import { livedExperienceTemplate } from './lived-experience'
import {
  SECTION_JUDGEMENT_ID,
  SECTION_REASON_ID,
  TEMPLATE_CODES,
  TemplateSchema,
  type TemplateCode,
  type TemplateInput,
} from './schema'

const EXPECTED_MEASURES: Record<TemplateCode, string[]> = {
  'lived-experience': ['lived-experience'],
  'management-oversight': ['lived-experience', 'management-oversight'],
  'strength-based': ['lived-experience', 'strength-based'],
  supervision: ['reflective-supervision', 'supervision-standards'],
  'multi-agency': ['lived-experience', 'management-oversight', 'strength-based'],
}

const AGENCY_CODES = ['csc', 'health', 'police', 'education', 'early-help']

function measuresOf(code: TemplateCode): string[] {
  return getBuiltInTemplate(code).sections.flatMap((section) =>
    section.questions.flatMap((question) => (question.measure ? [question.measure] : [])),
  )
}

/** A fresh, valid template to break in one place. */
function validInput(): TemplateInput {
  return structuredClone(livedExperienceTemplate)
}

function sectionAt(input: TemplateInput, s: number) {
  const section = input.sections[s]
  if (!section) throw new Error(`No section ${s}`)
  return section
}

function questionIndex(input: TemplateInput, s: number, id: string): number {
  const q = sectionAt(input, s).questions.findIndex((question) => question.id === id)
  if (q < 0) throw new Error(`No question "${id}" in section ${s}`)
  return q
}

function issuesOf(input: TemplateInput) {
  const result = TemplateSchema.safeParse(input)
  expect(result.success).toBe(false)
  return result.error?.issues ?? []
}

describe('built-in templates', () => {
  it('parse against the template schema', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      expect(TemplateSchema.safeParse(template).success, template.code).toBe(true)
    }
  })

  it('have unique codes, one for each template code, at version 1', () => {
    const codes = BUILT_IN_TEMPLATES.map((t) => t.code)
    expect(new Set(codes).size).toBe(codes.length)
    expect([...codes].sort()).toEqual([...TEMPLATE_CODES].sort())
    for (const code of TEMPLATE_CODES) {
      expect(getBuiltInTemplate(code).code).toBe(code)
      expect(getBuiltInTemplate(code).version).toBe(1)
    }
  })

  it('carry exactly the measures in the domain table, once each', () => {
    for (const code of TEMPLATE_CODES) {
      const measures = measuresOf(code)
      expect(new Set(measures).size, code).toBe(measures.length)
      expect([...measures].sort(), code).toEqual(EXPECTED_MEASURES[code])
    }
  })

  it('tag measures only on evidence questions', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      for (const section of template.sections) {
        for (const question of section.questions) {
          if (question.measure) expect(question.type, question.id).toBe('evidence')
        }
      }
    }
  })

  it('end every section with its graded judgement and the reason for it', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      for (const section of template.sections) {
        const [judgement, reason] = section.questions.slice(-2)
        const where = `${template.code}.${section.id}`
        expect(judgement, where).toMatchObject({ id: SECTION_JUDGEMENT_ID, type: 'grade' })
        expect(reason, where).toMatchObject({
          id: SECTION_REASON_ID,
          type: 'text',
          label: 'Why have you made this judgement?',
        })
        expect(reason?.hint, where).toMatch(/^What difference did the work make for the child\?/)
      }
    }
  })

  it('are of kind supervision for the supervision template and case-file for the rest', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      expect(template.kind, template.code).toBe(
        template.code === 'supervision' ? 'supervision' : 'case-file',
      )
    }
  })

  it('give case-file templates three to six sections', () => {
    for (const template of BUILT_IN_TEMPLATES.filter(
      (t) => t.kind === 'case-file' && t.code !== 'multi-agency',
    )) {
      expect(template.sections.length, template.code).toBeGreaterThanOrEqual(3)
      expect(template.sections.length, template.code).toBeLessThanOrEqual(6)
    }
  })

  it('quote the grade descriptors in the overall grade hint', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      for (const descriptor of Object.values(GRADE_DESCRIPTORS)) {
        expect(template.overall.hint, template.code).toContain(descriptor)
      }
    }
  })
})

describe('multi-agency template', () => {
  const template = getBuiltInTemplate('multi-agency')

  it('has one section per agency, editable only by that agency, then the lead summary', () => {
    expect(template.sections.map((s) => [s.id, s.editableBy])).toEqual([
      ...AGENCY_CODES.map((code) => [code, code]),
      ['summary', 'lead'],
    ])
  })

  it('asks every agency the same four questions before its judgement', () => {
    for (const section of template.sections.slice(0, AGENCY_CODES.length)) {
      expect(section.questions.map((q) => q.id)).toEqual([
        'what-we-knew',
        'what-we-did',
        'how-we-shared',
        'difference-made',
        SECTION_JUDGEMENT_ID,
        SECTION_REASON_ID,
      ])
      expect(
        section.questions.some((q) => q.measure),
        section.id,
      ).toBe(false)
    }
  })

  it('carries its measures in the shared summary', () => {
    const summary = template.sections.at(-1)
    const measures = summary?.questions.flatMap((q) => (q.measure ? [q.measure] : []))
    expect(measures?.sort()).toEqual(EXPECTED_MEASURES['multi-agency'])
  })
})

describe('grade help', () => {
  it('has a descriptor for every grade, quoted in the overall hint', () => {
    expect(Object.keys(GRADE_DESCRIPTORS).sort()).toEqual([...GRADE_CODES].sort())
    expect(GRADE_DESCRIPTORS_HINT).toContain('Inadequate: Widespread or serious failures')
  })

  it('builds the judgement pair, with a section hint when given one', () => {
    const [judgement, reason] = sectionJudgement('Grade the visits.')
    expect(judgement).toMatchObject({ id: 'judgement', type: 'grade', hint: 'Grade the visits.' })
    expect(reason).toMatchObject({ id: 'judgement-reason', type: 'text' })
    expect(sectionJudgement()[0].hint).toMatch(/last six months/)
  })
})

describe('TemplateSchema rejects', () => {
  it('two questions carrying the same measure', () => {
    const input = validInput()
    const q = questionIndex(input, 3, 'identity-considered')
    const question = sectionAt(input, 3).questions[q]
    if (!question) throw new Error('missing question')
    question.measure = 'lived-experience'

    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        path: ['sections', 3, 'questions', q, 'measure'],
        message: expect.stringContaining(
          'Measure "lived-experience" is already carried by daily-life.lived-experience',
        ) as unknown,
      }),
    )
  })

  it('a measure on a question that is not an evidence judgement', () => {
    const input = validInput()
    const q = questionIndex(input, 0, 'seen-alone')
    const question = sectionAt(input, 0).questions[q]
    if (!question) throw new Error('missing question')
    question.measure = 'strength-based'

    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        path: ['sections', 0, 'questions', q, 'measure'],
        message: 'Only an evidence question can carry a measure',
      }),
    )
  })

  it('a section that does not end with its judgement and reason', () => {
    const input = validInput()
    sectionAt(input, 2).questions.pop()

    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        path: ['sections', 2, 'questions'],
        message: expect.stringContaining(`"${SECTION_REASON_ID}"`) as unknown,
      }),
    )
  })

  it('two sections with the same id', () => {
    const input = validInput()
    sectionAt(input, 3).id = sectionAt(input, 0).id

    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        path: ['sections', 3, 'id'],
        message: 'Section id "seeing-the-child" is used twice',
      }),
    )
  })
})
