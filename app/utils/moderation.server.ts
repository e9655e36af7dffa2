import type { AppLoadContext } from '@remix-run/node'
import type { AuditViewer } from '../../db/queries/audits'
import { listAuditAnswers } from '../../db/queries/audits'
import { loadStoredDoc, lockAuditForLiveRead } from '../../db/queries/documents'
import { recordDecision, returnToAuditor } from '../../db/queries/moderation'
import { checkDecision, type DecisionProblem } from '../../shared/moderation'
import { moderationDocumentName, readDecisions } from '../../shared/moderation-document'
import type { Template } from '../../shared/templates/schema'

/**
 * Recording a moderation decision: stop all writes to the workspace and wait until they are
 * stored, read the decisions from the database, check them against the template and the auditor's
 * answers, and record them in one transaction. If anything is missing, the workspace reopens.
 */
export async function decideModeration(
  context: AppLoadContext,
  params: { user: AuditViewer; auditId: string; template: Template },
): Promise<{ ok: true } | { ok: false; problems: DecisionProblem[] }> {
  const { db, realtime } = context
  await realtime.freeze('moderation', params.auditId)
  let decided = false
  try {
    const outcome = await db.transaction(async (tx) => {
      // As for submission: with the audit's row locked, the stored workspace is the whole of it.
      await lockAuditForLiveRead(tx, params.auditId)
      const doc = await loadStoredDoc(tx, moderationDocumentName(params.auditId))
      const decisions = readDecisions(doc)
      doc.destroy()
      const answers = await listAuditAnswers(tx, { auditId: params.auditId })
      const check = checkDecision(
        params.template,
        Object.fromEntries(answers.map((a) => [a.questionKey, a.auditorValue])),
        decisions,
      )
      if (!check.ok) return check
      const result = await recordDecision(tx, {
        user: params.user,
        auditId: params.auditId,
        decision: check.decision,
      })
      return { ok: result.ok } as const
    })
    if (!outcome.ok) {
      if ('problems' in outcome) return outcome
      return {
        ok: false,
        problems: [{ key: 'form', label: '', message: 'This audit is no longer in moderation' }],
      }
    }
    decided = true
    realtime.closeForGood('moderation', params.auditId)
    return { ok: true }
  } finally {
    if (!decided) realtime.unfreeze('moderation', params.auditId)
  }
}

/** Back to the auditor: the audit form takes edits again, and the workspace pages learn of it. */
export async function returnModeratedAudit(
  context: AppLoadContext,
  params: { user: AuditViewer; auditId: string; reason: string },
) {
  const result = await returnToAuditor(context.db, params)
  if (result.ok) {
    context.realtime.unfreeze('audit', params.auditId)
    context.realtime.closeForGood('moderation', params.auditId)
  }
  return result
}
