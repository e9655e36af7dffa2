import type { AppLoadContext } from '@remix-run/node'
import { submitAudit } from '../../db/queries/audits'
import { loadStoredDoc, lockAuditForLiveRead } from '../../db/queries/documents'
import { documentName, partsOf, readAnswers, type Answers } from '../../shared/live-document'
import { checkSubmission, type MissingAnswer } from '../../shared/submission'
import { excerptQuestions, readThemeTags } from '../../shared/themes'
import type { ExcerptTag } from '../../db/queries/learning'
import type { Template } from '../../shared/templates/schema'

/**
 * Submission: stop all writes to the audit's live documents and wait until they are stored, read
 * them from the database, check them against the template, and record the result in one
 * transaction. If anything is missing, editing resumes and the page lists what.
 */
export async function submitLiveAudit(
  context: AppLoadContext,
  params: {
    councilId: string
    auditId: string
    userId: string
    template: Template
    /** The auditor asks for moderation whatever the sample says. */
    flagReason?: string
  },
): Promise<{ ok: true } | { ok: false; missing: MissingAnswer[] }> {
  const { db, realtime } = context
  await realtime.freeze('audit', params.auditId)
  let submitted = false
  try {
    const outcome = await db.transaction(async (tx) => {
      // Every server stores an edit only while the audit is open, holding its row: with the row
      // locked, what is stored is the whole of it, and anything later is refused.
      await lockAuditForLiveRead(tx, params.auditId)
      const answers: Answers = {}
      const tagged = new Map<string, string[]>()
      for (const part of partsOf(params.template)) {
        const doc = await loadStoredDoc(tx, documentName(params.auditId, part))
        Object.assign(answers, readAnswers(doc))
        for (const [key, tags] of readThemeTags(doc, params.template)) tagged.set(key, tags.tagged)
        doc.destroy()
      }
      // A tag belongs to its excerpt's words: an excerpt left empty keeps none.
      const themes: ExcerptTag[] = excerptQuestions(params.template).flatMap((excerpt) =>
        (answers[excerpt.key]?.trim() ?? '') === ''
          ? []
          : (tagged.get(excerpt.key) ?? []).map((theme) => ({
              questionKey: excerpt.key,
              kind: excerpt.kind,
              theme,
            })),
      )
      const check = checkSubmission(params.template, answers)
      if (!check.ok) return check
      const done = await submitAudit(tx, {
        councilId: params.councilId,
        auditId: params.auditId,
        submittedBy: params.userId,
        answers: check.submission.answers,
        overallGrade: check.submission.overallGrade,
        judgements: check.submission.judgements,
        themes,
        flagReason: params.flagReason,
      })
      return { ok: done } as const
    })
    if (!outcome.ok) {
      if ('missing' in outcome) return outcome
      return {
        ok: false,
        missing: [
          { key: 'form', section: '', label: '', message: 'This audit has already been submitted' },
        ],
      }
    }
    submitted = true
    realtime.closeForGood('audit', params.auditId)
    return { ok: true }
  } finally {
    if (!submitted) realtime.unfreeze('audit', params.auditId)
  }
}
