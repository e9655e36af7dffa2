import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { OVERALL_KEY } from './live-document'
import {
  changeSteps,
  checkDecision,
  decisionKeys,
  finalValue,
  moderatedQuestions,
  sampleBucket,
  sampleForModeration,
} from './moderation'
import { buildModerationSkeleton, isOwnCommentsOnly, readThreads } from './moderation-document'
import { getBuiltInTemplate } from './templates/index'

const template = getBuiltInTemplate('lived-experience')

describe('the sampling policy', () => {
  it('takes every audit at 100% and none at 0%, but for extreme grades and flags', () => {
    for (let i = 0; i < 50; i += 1) {
      const auditId = randomUUID()
      expect(sampleForModeration({ auditId, percent: 100, grade: 'good', flagged: false })).toBe(
        'policy',
      )
      expect(sampleForModeration({ auditId, percent: 0, grade: 'good', flagged: false })).toBe(
        'not-sampled',
      )
      expect(
        sampleForModeration({ auditId, percent: 0, grade: 'inadequate', flagged: false }),
      ).toBe('extreme-grade')
      expect(
        sampleForModeration({ auditId, percent: 0, grade: 'outstanding', flagged: false }),
      ).toBe('extreme-grade')
      expect(sampleForModeration({ auditId, percent: 0, grade: 'good', flagged: true })).toBe(
        'flagged',
      )
    }
  })

  it('takes about the policy’s share, and always the same audits', () => {
    const ids = Array.from({ length: 4_000 }, () => randomUUID())
    const taken = ids.filter(
      (auditId) =>
        sampleForModeration({ auditId, percent: 25, grade: 'good', flagged: false }) === 'policy',
    )
    expect(taken.length / ids.length).toBeGreaterThan(0.22)
    expect(taken.length / ids.length).toBeLessThan(0.28)
    for (const id of ids.slice(0, 100)) expect(sampleBucket(id)).toBe(sampleBucket(id))
  })
})

describe('the final value', () => {
  it('is the moderated value where there is one, else the auditor’s', () => {
    expect(finalValue('good', 'inadequate')).toBe('inadequate')
    expect(finalValue('good', null)).toBe('good')
    expect(finalValue('good', undefined)).toBe('good')
    expect(finalValue(null, null)).toBeNull()
  })
})

describe('changes in steps', () => {
  it('counts a lowered grade as positive steps and a raised one as negative', () => {
    expect(changeSteps('grade', 'good', 'inadequate')).toBe(2)
    expect(changeSteps('grade', 'requires-improvement', 'good')).toBe(-1)
    expect(changeSteps('evidence', 'consistently', 'partly')).toBe(1)
    expect(changeSteps('evidence', 'partly', 'n/a')).toBe(0)
  })
})

describe('checking a decision', () => {
  const auditorValues: Record<string, string> = { [OVERALL_KEY]: 'good' }
  const agreeAll = () =>
    Object.fromEntries(
      moderatedQuestions(template).map((q) => [decisionKeys(q.key).outcome, 'agree']),
    ) as Record<string, unknown>

  it('accepts every judgement agreed', () => {
    const result = checkDecision(template, auditorValues, agreeAll())
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.decision.answers.every((a) => a.outcome === 'agreed')).toBe(true)
      expect(result.decision.overallGrade).toBeNull()
    }
  })

  it('lists each judgement left undecided, each change without a reason, and each non-change', () => {
    const decisions = agreeAll()
    const [first, second] = moderatedQuestions(template)
    delete decisions[decisionKeys(first!.key).outcome]
    decisions[decisionKeys(second!.key).outcome] = 'change'
    decisions[decisionKeys(second!.key).value] = 'inadequate'
    decisions[decisionKeys(OVERALL_KEY).outcome] = 'change'
    decisions[decisionKeys(OVERALL_KEY).value] = 'good'
    decisions[decisionKeys(OVERALL_KEY).rationale] = 'Same'
    const result = checkDecision(template, auditorValues, decisions)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.problems.map((p) => p.key)).toEqual([first!.key, second!.key, OVERALL_KEY])
      expect(result.problems[1]?.message).toMatch(/Give the reason/)
      expect(result.problems[2]?.message).toMatch(/unchanged/)
    }
  })

  it('refuses a value of the wrong kind', () => {
    const decisions = agreeAll()
    decisions[decisionKeys(OVERALL_KEY).outcome] = 'change'
    decisions[decisionKeys(OVERALL_KEY).value] = 'consistently'
    decisions[decisionKeys(OVERALL_KEY).rationale] = 'Because'
    expect(checkDecision(template, auditorValues, decisions).ok).toBe(false)
  })
})

describe('the discussion document', () => {
  const me = randomUUID()
  const comment = (userId: string) => ({
    id: randomUUID(),
    userId,
    name: 'Amira Khan',
    text: 'Is the plan SMART?',
    at: new Date().toISOString(),
  })

  /** An update made by a client that starts from the server's skeleton. */
  function updateFrom(change: (doc: Y.Doc) => void): Uint8Array {
    const server = buildModerationSkeleton(template, 'discussion')
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(client)
    change(client)
    return Y.encodeStateAsUpdate(client, before)
  }

  it('has a thread per judgement, ready before anyone comments', () => {
    const threads = readThreads(buildModerationSkeleton(template, 'discussion'))
    expect(Object.keys(threads)).toContain(OVERALL_KEY)
    expect(threads[OVERALL_KEY]).toEqual([])
  })

  it('lets a user add their own comments, and nothing else', () => {
    const own = updateFrom((doc) => {
      const thread = doc.getMap('threads').get(OVERALL_KEY) as Y.Array<unknown>
      thread.push([comment(me)])
      thread.push([comment(me)])
    })
    expect(isOwnCommentsOnly(own, me)).toBe(true)
    const spoofed = updateFrom((doc) => {
      ;(doc.getMap('threads').get(OVERALL_KEY) as Y.Array<unknown>).push([comment(randomUUID())])
    })
    expect(isOwnCommentsOnly(spoofed, me)).toBe(false)
    const replaced = updateFrom((doc) => doc.getMap('threads').set(OVERALL_KEY, new Y.Array()))
    expect(isOwnCommentsOnly(replaced, me)).toBe(false)
    const deleted = updateFrom((doc) => {
      const thread = doc.getMap('threads').get(OVERALL_KEY) as Y.Array<unknown>
      thread.push([comment(me)])
      thread.delete(0, 1)
    })
    expect(isOwnCommentsOnly(deleted, me)).toBe(false)
    const malformed = updateFrom((doc) => {
      ;(doc.getMap('threads').get(OVERALL_KEY) as Y.Array<unknown>).push([{ userId: me }])
    })
    expect(isOwnCommentsOnly(malformed, me)).toBe(false)
  })
})
