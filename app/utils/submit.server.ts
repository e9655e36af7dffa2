import type { AppLoadContext } from '@remix-run/node'
import { submitAudit } from '../../db/queries/audits'
import { loadStoredDoc } from '../../db/queries/documents'
import { documentName, partsOf, readAnswers, type Answers } from '../../shared/live-document'
import { checkSubmission, type MissingAnswer } from '../../shared/submission'
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
    const answers: Answers = {}
    for (const part of partsOf(params.template)) {
      const doc = await loadStoredDoc(db, documentName(params.auditId, part))
      Object.assign(answers, readAnswers(doc))
      doc.destroy()
    }
    const check = checkSubmission(params.template, answers)
    if (!check.ok) return check
    submitted = await submitAudit(db, {
      councilId: params.councilId,
      auditId: params.auditId,
      submittedBy: params.userId,
      answers: check.submission.answers,
      overallGrade: check.submission.overallGrade,
      judgements: check.submission.judgements,
      flagReason: params.flagReason,
    })
    if (!submitted) {
      return {
        ok: false,
        missing: [
          { key: 'form', section: '', label: '', message: 'This audit has already been submitted' },
        ],
      }
    }
    realtime.closeForGood('audit', params.auditId)
    return { ok: true }
  } finally {
    if (!submitted) realtime.unfreeze('audit', params.auditId)
  }
}
