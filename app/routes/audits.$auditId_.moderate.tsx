import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DISCUSSION_PART, moderatedQuestions, type DecisionProblem } from '../../shared/moderation'
import { moderationDocumentName } from '../../shared/moderation-document'
import { moderationAccess } from '../../shared/part-access'
import { can } from '../../shared/permissions'
import { formatCycle } from '../../shared/programme'
import { AuditStatusTag } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  ErrorSummary,
  ProblemSummary,
  TextField,
  WarningText,
  type FieldErrors,
} from '~/components/forms'
import { questionAnchor } from '~/components/live-audit/live-audit-form'
import { ModerationWorkspace } from '~/components/moderation/moderation-workspace'
import { requireUser } from '~/utils/auth.server'
import {
  getAgencyCode,
  getAudit,
  getTemplateDefinitionById,
  listAuditAnswers,
} from '~/utils/db.server'
import { decideModeration, returnModeratedAudit } from '~/utils/moderation.server'

async function loadWorkspace({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const auditId = z.uuid().safeParse(params.auditId)
  const audit = auditId.success
    ? await getAudit(context.db, { user, auditId: auditId.data })
    : undefined
  if (!audit) throw new Response('Not found', { status: 404 })
  const tookPart = audit.assignments.some((a) => a.userId === user.id)
  // A moderator never moderates an audit they worked on, however they reach this page.
  if (tookPart && can(user, 'moderate:audit:any')) {
    throw new Response('You took part in this audit, so you cannot moderate it', { status: 403 })
  }
  const access = (part: string) =>
    moderationAccess({
      part,
      status: audit.status,
      isModerator: audit.moderatorId === user.id && can(user, 'moderate:audit:any'),
      tookPart,
      readsAll: can(user, 'read:audit:any'),
    })
  const decisions = access('decisions')
  const discussion = access(DISCUSSION_PART)
  if (audit.status === 'submitted') throw redirect(`/audits/${audit.id}`)
  if (!decisions || !discussion) throw new Response('Forbidden', { status: 403 })
  const template = await getTemplateDefinitionById(context.db, {
    councilId: user.councilId,
    id: audit.templateVersionId,
  })
  if (!template) throw new Response('Not found', { status: 404 })
  return { user, audit, template, decisions, discussion }
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, audit, template, decisions, discussion } = await loadWorkspace(args)
  const answers = await listAuditAnswers(args.context.db, { auditId: audit.id })
  return json({
    audit: {
      id: audit.id,
      caseRef: audit.caseRef,
      cycle: audit.cycle,
      status: audit.status,
      team: audit.team,
      templateTitle: audit.templateTitle,
    },
    questions: moderatedQuestions(template),
    auditorValues: Object.fromEntries(answers.map((a) => [a.questionKey, a.auditorValue])),
    decisions: {
      name: moderationDocumentName(audit.id),
      access: decisions === 'edit' ? ('edit' as const) : ('read' as const),
    },
    discussion: {
      name: moderationDocumentName(audit.id, DISCUSSION_PART),
      access: discussion === 'comment' ? ('comment' as const) : ('read' as const),
    },
    me: {
      id: user.id,
      name: user.name,
      agency: await getAgencyCode(args.context.db, {
        councilId: user.councilId,
        agencyId: user.agencyId,
      }),
    },
  })
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('decide') }),
  z.object({
    intent: z.literal('return'),
    returnReason: z
      .string({ error: 'Enter what the auditor should do' })
      .trim()
      .min(1, 'Enter what the auditor should do')
      .max(2000, 'Reasons must be 2,000 characters or fewer'),
  }),
])

function refuse(data: { errors: FieldErrors; problems: DecisionProblem[] }) {
  return json(data, { status: 400 })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit, template, decisions } = await loadWorkspace(args)
  if (decisions !== 'edit')
    throw new Response('Only the audit’s moderator decides', { status: 403 })
  const parsed = ActionSchema.safeParse(Object.fromEntries(await args.request.formData()))
  if (!parsed.success)
    return refuse({ errors: z.flattenError(parsed.error).fieldErrors, problems: [] })
  if (parsed.data.intent === 'return') {
    const result = await returnModeratedAudit(args.context, {
      user,
      auditId: audit.id,
      reason: parsed.data.returnReason,
    })
    if (!result.ok) throw new Response('This audit is no longer in moderation', { status: 409 })
    return redirect(`/audits/${audit.id}?done=returned`)
  }
  const result = await decideModeration(args.context, { user, auditId: audit.id, template })
  if (!result.ok) return refuse({ errors: {}, problems: result.problems })
  return redirect(`/audits/${audit.id}?done=moderated`)
}

export default function ModeratePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const problems = actionData?.problems ?? []
  const deciding = data.decisions.access === 'edit'
  const busy = navigation.state === 'submitting'
  return (
    <>
      <Link to={`/audits/${data.audit.id}`} className="govuk-back-link">
        Back to the audit
      </Link>
      <ErrorSummary errors={actionData?.errors} />
      <ProblemSummary
        title="The decision cannot be recorded yet"
        problems={problems.map((p) => ({ href: `#${questionAnchor(p.key)}`, text: p.message }))}
      />
      <span className="govuk-caption-l">
        Moderation: {data.audit.templateTitle}, {formatCycle(data.audit.cycle)}
      </span>
      <h1 className="govuk-heading-l">Case {data.audit.caseRef}</h1>
      <p className="govuk-body">
        <AuditStatusTag status={data.audit.status} /> {data.audit.team}
      </p>
      {deciding ? (
        <p className="govuk-body">
          Agree each judgement, or change it and say why. The auditors can follow your work here and
          discuss each judgement with you.
        </p>
      ) : data.audit.status === 'in-moderation' ? (
        <p className="govuk-body">
          The moderator is reviewing this audit. Their decisions appear here as they make them;
          discuss any judgement in its thread.
        </p>
      ) : null}
      <ModerationWorkspace
        questions={data.questions}
        auditorValues={data.auditorValues}
        decisions={data.decisions}
        discussion={data.discussion}
        me={data.me}
      />
      {deciding ? (
        <div className="govuk-!-margin-top-6">
          <Form method="post">
            <input type="hidden" name="intent" value="decide" />
            <WarningText>
              Recording the decision makes these grades final for the KPIs. The auditor can dispute
              it once.
            </WarningText>
            <button type="submit" className="govuk-button" disabled={busy}>
              {busy ? 'Recording…' : 'Record the decision'}
            </button>
          </Form>
          <h2 className="govuk-heading-m">Return to the auditor</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="return" />
            <TextField
              name="returnReason"
              label="What should the auditor do?"
              hint="The audit reopens for editing and comes back to moderation when it is submitted again."
              errors={actionData?.errors.returnReason}
              multiline
            />
            <button type="submit" className="govuk-button govuk-button--secondary" disabled={busy}>
              Return to the auditor
            </button>
          </Form>
        </div>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Moderation – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
