import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { todayIso } from '../../shared/actions'
import { can } from '../../shared/permissions'
import { deadlineState, formatCycle } from '../../shared/programme'
import { ROLE_LABELS, type Role } from '../../shared/roles'
import { AuditStatusTag, formatDate } from '~/components/audit-status'
import { listAssignedAudits } from '~/utils/db.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { getHomeActions, listOwnCaseAudits } from '~/utils/actions.server'
import { requireUser } from '~/utils/auth.server'
import { OwnCaseAudits, YourActions } from '~/components/home-sections'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const today = todayIso()
  const myAudits = can(user, 'read:audit:assigned')
    ? await listAssignedAudits(context.db, { user })
    : []
  const ownCaseAudits = can(user, 'read:audit:own-case')
    ? await listOwnCaseAudits(context.db, { user })
    : []
  const actions = await getHomeActions(context.db, { user, today })
  return json({
    name: user.name,
    roles: user.roles,
    myAudits: myAudits.map((audit) => ({ ...audit, deadline: deadlineState(audit, today) })),
    ownCaseAudits,
    actions,
  })
}

export type HomeData = SerializeFrom<typeof loader>

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

type HomeLink = { to: string; text: string; what: string }

/** Where the other roles' work is. */
const ROLE_LINKS: Partial<Record<Role, HomeLink[]>> = {
  moderator: [
    {
      to: '/moderation',
      text: 'Moderation queue',
      what: 'submitted audits waiting for you, oldest first',
    },
    {
      to: '/calibration',
      text: 'Calibration',
      what: 'how grades were changed, by auditor and team',
    },
  ],
  lead: [
    { to: '/kpis', text: 'KPIs', what: 'the improvement plan’s measures against their targets' },
    { to: '/themes', text: 'Themes', what: 'what audits are saying across the service' },
    {
      to: '/actions',
      text: 'Actions',
      what: 'every open and overdue action, by team, with ageing',
    },
  ],
  admin: [
    {
      to: '/admin/users',
      text: 'Manage users',
      what: 'add users with their roles, agency and team, and deactivate those who leave',
    },
  ],
}

function LinkList({ links }: { links: HomeLink[] }) {
  return (
    <ul className="govuk-list">
      {links.map((link) => (
        <li key={link.to}>
          <Link className="govuk-link" to={link.to}>
            {link.text}
          </Link>
          : {link.what}
        </li>
      ))}
    </ul>
  )
}

const ROLE_HEADINGS: Record<Role, string> = {
  auditor: 'My audits',
  moderator: 'Moderation queue',
  lead: 'KPIs and learning themes',
  practitioner: 'Findings and actions for my cases',
  admin: 'Users',
}

export default function Home() {
  const { name, roles, myAudits, ownCaseAudits, actions } = useLoaderData<typeof loader>()
  return (
    <>
      <span className="govuk-caption-l">{roles.map((role) => ROLE_LABELS[role]).join(', ')}</span>
      <h1 className="govuk-heading-l">Welcome, {name}</h1>
      {actions.actions.length > 0 ? <YourActions {...actions} /> : null}
      {roles.map((role) => (
        <section key={role} aria-labelledby={`home-${role}`} className="govuk-!-margin-bottom-8">
          <h2 className="govuk-heading-m" id={`home-${role}`}>
            {ROLE_HEADINGS[role]}
          </h2>
          {role === 'auditor' ? (
            <MyAudits audits={myAudits} />
          ) : role === 'practitioner' ? (
            <OwnCaseAudits audits={ownCaseAudits} />
          ) : (
            <LinkList links={ROLE_LINKS[role] ?? []} />
          )}
        </section>
      ))}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Home – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
