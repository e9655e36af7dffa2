import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import {
  answerKey,
  buildSkeleton,
  DocumentNameSchema,
  partsOf,
  readAnswers,
  sectionsOfPart,
} from './live-document'
import { getBuiltInTemplate } from './templates/index'

const ID = '3f0c1f7e-0000-4000-8000-000000000001'

describe('document names', () => {
  it('reads the audit and its part from the name', () => {
    expect(DocumentNameSchema.parse(`audit.${ID}`)).toEqual({
      kind: 'audit',
      auditId: ID,
      part: 'lead',
    })
    expect(DocumentNameSchema.parse(`audit.${ID}.health`)).toEqual({
      kind: 'audit',
      auditId: ID,
      part: 'health',
    })
    expect(DocumentNameSchema.parse(`moderation.${ID}`)).toEqual({
      kind: 'moderation',
      auditId: ID,
      part: 'decisions',
    })
    expect(DocumentNameSchema.parse(`moderation.${ID}.discussion`)).toEqual({
      kind: 'moderation',
      auditId: ID,
      part: 'discussion',
    })
  })

  it.each([
    'audit',
    `audit.${ID}.`,
    `audit.${ID}.Health`,
    `audit.not-a-uuid`,
    `../audit.${ID}`,
    `audit.${ID}.a.b`,
    `moderation.${ID}.health`,
  ])('refuses %s', (name) => {
    expect(DocumentNameSchema.safeParse(name).success).toBe(false)
  })
})

describe('the skeleton', () => {
  it('splits a multi-agency audit into the lead part and one part per agency', () => {
    const template = getBuiltInTemplate('multi-agency')
    expect([...partsOf(template)].sort()).toEqual([
      'csc',
      'early-help',
      'education',
      'health',
      'lead',
      'police',
    ])
    expect(partsOf(getBuiltInTemplate('lived-experience'))).toEqual(['lead'])
  })

  it('holds a text for every free-text answer, so that concurrent first edits merge', () => {
    const template = getBuiltInTemplate('lived-experience')
    const server = buildSkeleton(template, 'lead')
    const a = new Y.Doc()
    const b = new Y.Doc()
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(server))
    const section = sectionsOfPart(template, 'lead')[0]!
    const key = answerKey(section.id, 'judgement-reason')
    ;(a.getMap('answers').get(key) as Y.Text).insert(0, 'Seen alone twice. ')
    ;(b.getMap('answers').get(key) as Y.Text).insert(0, 'Views recorded.')
    b.getMap('answers').set(answerKey(section.id, 'judgement'), 'good')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(readAnswers(a)).toEqual(readAnswers(b))
    const text = readAnswers(a)[key] ?? ''
    expect(text).toContain('Seen alone twice. ')
    expect(text).toContain('Views recorded.')
    expect(readAnswers(a)[answerKey(section.id, 'judgement')]).toBe('good')
  })
})
