import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ROLE_LABELS, type Role } from '../../shared/roles'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requireUser } from '~/utils/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  return json({ name: user.name, roles: user.roles })
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
  const { name, roles } = useLoaderData<typeof loader>()
  return (
    <>
      <span className="govuk-caption-l">{roles.map((role) => ROLE_LABELS[role]).join(', ')}</span>
      <h1 className="govuk-heading-l">Welcome, {name}</h1>
      {roles.map((role) => (
        <section key={role} aria-labelledby={`home-${role}`} className="govuk-!-margin-bottom-8">
          <h2 className="govuk-heading-m" id={`home-${role}`}>
            {ROLE_HOMES[role].heading}
          </h2>
          {ROLE_HOMES[role].body}
        </section>
      ))}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Home – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
