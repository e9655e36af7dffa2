import { z } from 'zod'
import { CodeSchema } from '../organisation'
import { MeasureSchema } from '../measures'

export const TEMPLATE_CODES = [
  'lived-experience',
  'management-oversight',
  'strength-based',
  'supervision',
  'multi-agency',
] as const
export const TemplateCodeSchema = z.enum(TEMPLATE_CODES)
export type TemplateCode = z.infer<typeof TemplateCodeSchema>

export const TEMPLATE_KINDS = ['case-file', 'supervision'] as const
export const TemplateKindSchema = z.enum(TEMPLATE_KINDS)
export type TemplateKind = z.infer<typeof TemplateKindSchema>

/**
 * grade: Ofsted's four-point scale; evidence: consistently / partly / not / n/a;
 * compliance: yes / no / n/a; text: free text (evidence, analysis, strengths, areas for development).
 */
export const QUESTION_TYPES = ['grade', 'evidence', 'compliance', 'text'] as const
export const QuestionTypeSchema = z.enum(QUESTION_TYPES)
export type QuestionType = z.infer<typeof QuestionTypeSchema>

/** Every section ends with these two questions: its graded judgement and the reason for it. */
export const SECTION_JUDGEMENT_ID = 'judgement'
export const SECTION_REASON_ID = 'judgement-reason'

export const QuestionSchema = z
  .object({
    id: CodeSchema,
    type: QuestionTypeSchema,
    label: z.string().trim().min(1).max(300),
    hint: z.string().trim().min(1).max(1000).optional(),
    required: z.boolean().default(true),
    measure: MeasureSchema.optional(),
  })
  .refine((q) => q.measure === undefined || q.type === 'evidence', {
    message: 'Only an evidence question can carry a measure',
    path: ['measure'],
  })
export type Question = z.infer<typeof QuestionSchema>

/**
 * `editableBy` says who completes a section: `lead` (the lead auditor and co-auditors; the default) or
 * an agency code (that agency's auditor in a multi-agency audit; everyone else sees it read-only).
 */
export const SectionSchema = z
  .object({
    id: CodeSchema,
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(2000).optional(),
    editableBy: z.union([z.literal('lead'), CodeSchema]).default('lead'),
    questions: z.array(QuestionSchema).min(2),
  })
  .superRefine((section, ctx) => {
    const last = section.questions.at(-1)
    const judgement = section.questions.at(-2)
    if (judgement?.id !== SECTION_JUDGEMENT_ID || judgement.type !== 'grade') {
      ctx.addIssue({
        code: 'custom',
        path: ['questions'],
        message: `A section ends with a grade question "${SECTION_JUDGEMENT_ID}"`,
      })
    }
    if (last?.id !== SECTION_REASON_ID || last.type !== 'text') {
      ctx.addIssue({
        code: 'custom',
        path: ['questions'],
        message: `A section's last question is the text question "${SECTION_REASON_ID}" (why this judgement?)`,
      })
    }
  })
export type Section = z.infer<typeof SectionSchema>

export const TemplateSchema = z
  .object({
    code: TemplateCodeSchema,
    version: z.number().int().min(1),
    kind: TemplateKindSchema,
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(4000),
    sections: z.array(SectionSchema).min(1),
    overall: z.object({
      label: z.string().trim().min(1).max(300),
      hint: z.string().trim().min(1).max(1000).optional(),
    }),
  })
  .superRefine((template, ctx) => {
    const sectionIds = new Set<string>()
    const measures = new Map<string, string>()
    template.sections.forEach((section, s) => {
      if (sectionIds.has(section.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', s, 'id'],
          message: `Section id "${section.id}" is used twice`,
        })
      }
      sectionIds.add(section.id)
      const questionIds = new Set<string>()
      section.questions.forEach((question, q) => {
        if (questionIds.has(question.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', s, 'questions', q, 'id'],
            message: `Question id "${question.id}" is used twice in section "${section.id}"`,
          })
        }
        questionIds.add(question.id)
        if (!question.measure) return
        const earlier = measures.get(question.measure)
        if (earlier) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', s, 'questions', q, 'measure'],
            message: `Measure "${question.measure}" is already carried by ${earlier}; a template has at most one question per measure`,
          })
        }
        measures.set(question.measure, `${section.id}.${question.id}`)
      })
    })
  })
export type Template = z.infer<typeof TemplateSchema>
/** What a template author writes: defaults (such as `required`) may be left out. */
export type TemplateInput = z.input<typeof TemplateSchema>

/** The question that carries a measure, as `section.question`, if the template has one. */
export function findMeasureQuestion(
  template: Template,
  measure: string,
): { section: Section; question: Question } | undefined {
  for (const section of template.sections) {
    for (const question of section.questions) {
      if (question.measure === measure) return { section, question }
    }
  }
  return undefined
}
