import { Link } from '@remix-run/react'
import { GRADES } from '../../shared/grading'
import { formatCycle } from '../../shared/programme'
import { ActionStateTag } from '~/components/action-state'
import { AuditStatusTag, formatDate } from '~/components/audit-status'
import type { HomeData } from '~/routes/_index'

// The home page's sections for an action's owner and for a practitioner.

type HomeAction = HomeData['actions']['actions'][number]

/** Where an action is agreed: its audit's impact page, once its owner may see the audit. */
function ActionCase({ action }: { action: HomeAction }) {
  const label = `Case ${action.caseRef}, ${action.templateTitle}, ${formatCycle(action.cycle)}`
  if (!action.auditVisible) return <>{label}</>
  return (
    <Link className="govuk-link" to={`/audits/${action.auditId}/impact`}>
      {label}
    </Link>
  )
}

/** How many recently done actions the home page still lists under the open ones. */
const RECENT_DONE_SHOWN = 5

/** The user's own actions, open and overdue first, and this month's digest of them. */
export function YourActions({ actions, digest }: HomeData['actions']) {
  const outstanding = actions.filter((a) => a.state !== 'done')
  const done = actions
    .filter((a) => a.state === 'done')
    .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''))
    .slice(0, RECENT_DONE_SHOWN)
  const groups = [
    { key: 'overdue', heading: 'Overdue', items: digest.overdue },
    { key: 'due', heading: 'Due this month', items: digest.dueThisMonth },
    { key: 'done', heading: 'Done this month', items: digest.doneThisMonth },
  ]
  return (
    <section aria-labelledby="home-actions" className="govuk-!-margin-bottom-8">
      <h2 className="govuk-heading-m" id="home-actions">
        Your actions
      </h2>
      <div className="govuk-summary-card">
        <div className="govuk-summary-card__title-wrapper">
          <h3 className="govuk-summary-card__title">
            This month: {digest.dueThisMonth.length} due, {digest.overdue.length} overdue,{' '}
            {digest.doneThisMonth.length} done
          </h3>
        </div>
        <div className="govuk-summary-card__content">
          {groups.every((group) => group.items.length === 0) ? (
            <p className="govuk-body govuk-!-margin-bottom-0">
              Nothing of yours is overdue, due or done this month.
            </p>
          ) : null}
          {groups.map((group) =>
            group.items.length === 0 ? null : (
              <div key={group.key}>
                <h4 className="govuk-heading-s govuk-!-margin-bottom-1">{group.heading}</h4>
                <ul className="govuk-list govuk-list--bullet">
                  {group.items.map((a) => (
                    <li key={a.id}>
                      {a.description} (due {formatDate(a.dueDate)})
                    </li>
                  ))}
                </ul>
              </div>
            ),
          )}
        </div>
      </div>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">
          Actions agreed with you
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {['Action', 'Audit', 'Due', 'State'].map((heading) => (
              <th key={heading} scope="col" className="govuk-table__header">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {[...outstanding, ...done].map((a) => (
            <tr key={a.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header app-pre-wrap">
                {a.description}
              </th>
              <td className="govuk-table__cell">
                <ActionCase action={a} />
              </td>
              <td className="govuk-table__cell">{formatDate(a.dueDate)}</td>
              <td className="govuk-table__cell">
                <ActionStateTag state={a.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

const GRADE_LABELS: Record<string, string> = Object.fromEntries(
  GRADES.map((grade) => [grade.code, grade.label]),
)

/** A practitioner's own cases' audits once submitted: the report, the grade and the actions. */
export function OwnCaseAudits({ audits }: { audits: HomeData['ownCaseAudits'] }) {
  if (audits.length === 0) {
    return <p className="govuk-body">None of your cases has a completed audit yet.</p>
  }
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--s">
        Audits of your cases
      </caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {['Case', 'Audit', 'Month', 'Grade', 'Status', 'Actions'].map((heading) => (
            <th key={heading} scope="col" className="govuk-table__header">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {audits.map((audit) => (
          <tr key={audit.id} className="govuk-table__row">
            <th scope="row" className="govuk-table__header">
              <Link className="govuk-link" to={`/audits/${audit.id}/form`}>
                {audit.caseRef}
                <span className="govuk-visually-hidden">: read the audit report</span>
              </Link>
            </th>
            <td className="govuk-table__cell">{audit.templateTitle}</td>
            <td className="govuk-table__cell">{formatCycle(audit.cycle)}</td>
            <td className="govuk-table__cell">
              {audit.grade ? (GRADE_LABELS[audit.grade] ?? audit.grade) : '—'}
              {audit.moderated ? <span className="govuk-body-s"> (moderated)</span> : null}
            </td>
            <td className="govuk-table__cell">
              <AuditStatusTag status={audit.status} />
            </td>
            <td className="govuk-table__cell">
              <Link className="govuk-link" to={`/audits/${audit.id}/impact`}>
                {audit.openActions === 1 ? '1 open action' : `${audit.openActions} open actions`}
                <span className="govuk-visually-hidden">, case {audit.caseRef}</span>
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
