import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { can } from '../../shared/permissions'
import { deadlineState, formatCycle } from '../../shared/programme'
import { ROLE_LABELS, type Role } from '../../shared/roles'
import { AuditStatusTag, formatDate } from '~/components/audit-status'
import { listAssignedAudits } from '~/utils/db.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requireUser } from '~/utils/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const myAudits = can(user, 'read:audit:assigned')
    ? await listAssignedAudits(context.db, { user })
    : []
  const today = new Date().toISOString().slice(0, 10)
  return json({
    name: user.name,
    roles: user.roles,
    myAudits: myAudits.map((audit) => ({ ...audit, deadline: deadlineState(audit, today) })),
  })
}

type HomeData = SerializeFrom<typeof loader>

const ROLE_LABEL_FOR_PART: Record<string, string> = {
  lead: 'Lead auditor',
  'co-auditor': 'Co-auditor',
  agency: 'Agency section',
}

/** An auditor's home: their audits, with what is due soon and overdue counted first. */
function MyAudits({ audits }: { audits: HomeData['myAudits'] }) {
  const open = audits.filter((a) => a.status === 'scheduled' || a.status === 'in-progress')
  const counts = [
    { label: 'Scheduled', value: audits.filter((a) => a.status === 'scheduled').length },
    { label: 'In progress', value: audits.filter((a) => a.status === 'in-progress').length },
    { label: 'Due soon', value: open.filter((a) => a.deadline === 'due-soon').length },
    { label: 'Overdue', value: open.filter((a) => a.deadline === 'overdue').length },
  ]
  if (audits.length === 0) {
    return <p className="govuk-body">You have no audits assigned to you.</p>
  }
  return (
    <>
      <dl className="app-counts">
        {counts.map((count) => (
          <div key={count.label} className="app-counts__item">
            <dt className="govuk-body-s govuk-!-margin-bottom-1">{count.label}</dt>
            <dd className="govuk-heading-l govuk-!-margin-bottom-0">{count.value}</dd>
          </div>
        ))}
      </dl>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">
          Audits assigned to you
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Case
            </th>
            <th scope="col" className="govuk-table__header">
              Audit
            </th>
            <th scope="col" className="govuk-table__header">
              Month
            </th>
            <th scope="col" className="govuk-table__header">
              Your part
            </th>
            <th scope="col" className="govuk-table__header">
              Due
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {audits.map((audit) => (
            <tr key={audit.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                <Link className="govuk-link" to={`/audits/${audit.id}`}>
                  {audit.caseRef}
                </Link>
              </th>
              <td className="govuk-table__cell">{audit.templateTitle}</td>
              <td className="govuk-table__cell">{formatCycle(audit.cycle)}</td>
              <td className="govuk-table__cell">
                {ROLE_LABEL_FOR_PART[audit.myRole] ?? audit.myRole}
                {audit.myAgency ? ` (${audit.myAgency})` : ''}
              </td>
              <td className="govuk-table__cell">
                {formatDate(audit.dueDate)}
                {audit.deadline === 'overdue' ? (
                  <strong className="govuk-tag govuk-tag--red app-tag-after">Overdue</strong>
                ) : audit.deadline === 'due-soon' ? (
                  <strong className="govuk-tag govuk-tag--yellow app-tag-after">Due soon</strong>
                ) : null}
              </td>
              <td className="govuk-table__cell">
                <AuditStatusTag status={audit.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** What each role's home shows; where a capability is still being built, it says what will be here. */
const ROLE_HOMES: Record<Role, { heading: string; body: ReactNode }> = {
  auditor: {
    heading: 'My audits',
    body: (
      <>
        <p className="govuk-body">You have no audits assigned to you.</p>
        <div className="govuk-inset-text">
          Coming next: the audits assigned to you each month, with what is scheduled, in progress,
          due soon and overdue. You will open an audit here and complete it with your co-auditors in
          real time.
        </div>
      </>
    ),
  },
  moderator: {
    heading: 'Moderation queue',
    body: (
      <>
        <p className="govuk-body">No submitted audits are waiting for moderation.</p>
        <div className="govuk-inset-text">
          Coming: submitted audits waiting for you, oldest first, where you agree or adjust each
          judgement and the overall grade, and the calibration of grades by auditor and team.
        </div>
      </>
    ),
  },
  lead: {
    heading: 'KPIs and learning themes',
    body: (
      <>
        <p className="govuk-body">
          No audits have been completed yet, so there are no figures to show.
        </p>
        <div className="govuk-inset-text">
          Coming: the monthly audit programme, the improvement plan’s Ambition 1 and 3 KPIs against
          their targets with RAG ratings and trends, and the learning themes across audits.
        </div>
      </>
    ),
  },
  practitioner: {
    heading: 'Findings and actions for my cases',
    body: (
      <>
        <p className="govuk-body">None of your cases has a completed audit yet.</p>
        <div className="govuk-inset-text">
          Coming: the findings of audits of your cases once they are submitted, and the actions
          agreed with you.
        </div>
      </>
    ),
  },
  admin: {
    heading: 'Users',
    body: (
      <p className="govuk-body">
        <Link className="govuk-link" to="/admin/users">
          Manage users
        </Link>
        : add users with their roles, agency and team, and deactivate those who leave.
      </p>
    ),
  },
}

export default function Home() {
  const { name, roles, myAudits } = useLoaderData<typeof loader>()
  return (
    <>
      <span className="govuk-caption-l">{roles.map((role) => ROLE_LABELS[role]).join(', ')}</span>
      <h1 className="govuk-heading-l">Welcome, {name}</h1>
      {roles.map((role) => (
        <section key={role} aria-labelledby={`home-${role}`} className="govuk-!-margin-bottom-8">
          <h2 className="govuk-heading-m" id={`home-${role}`}>
            {ROLE_HOMES[role].heading}
          </h2>
          {role === 'auditor' ? <MyAudits audits={myAudits} /> : ROLE_HOMES[role].body}
        </section>
      ))}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Home – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
