import { describe, expect, it } from 'vitest'
import { answerKey, OVERALL_KEY, type Answers } from './live-document'
import { checkSubmission } from './submission'
import { getBuiltInTemplate } from './templates/index'

const template = getBuiltInTemplate('lived-experience')

function completeAnswers(): Answers {
  const answers: Answers = { [OVERALL_KEY]: 'good' }
  for (const section of template.sections) {
    for (const question of section.questions) {
      const value = {
        grade: 'good',
        evidence: 'consistently',
        compliance: 'yes',
        text: 'Seen alone.',
      }[question.type]
      answers[answerKey(section.id, question.id)] = value
    }
  }
  return answers
}

describe('checkSubmission', () => {
  it('turns a complete audit into rows, the overall grade and the measures’ judgements', () => {
    const result = checkSubmission(template, completeAnswers())
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.submission.overallGrade).toBe('good')
    expect(result.submission.judgements).toEqual([
      { measure: 'lived-experience', value: 'consistently' },
    ])
    expect(result.submission.answers.length).toBe(
      template.sections.flatMap((s) => s.questions).length,
    )
  })

  it('lists every missing or invalid answer with its question', () => {
    const answers = completeAnswers()
    const first = template.sections[0]!
    delete answers[answerKey(first.id, 'judgement')]
    answers[answerKey(first.id, 'seen-alone')] = 'maybe'
    answers[answerKey(first.id, 'judgement-reason')] = '   '
    delete answers[OVERALL_KEY]
    const result = checkSubmission(template, answers)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.missing.map((m) => m.key)).toEqual([
      answerKey(first.id, 'seen-alone'),
      answerKey(first.id, 'judgement'),
      answerKey(first.id, 'judgement-reason'),
      OVERALL_KEY,
    ])
  })
})
