import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { finalValue } from '../../shared/moderation'
import type { MissingAnswer } from '../../shared/submission'
import { answerKey, documentName, OVERALL_KEY, partsOf } from '../../shared/live-document'
import { partAccess } from '../../shared/part-access'
import { excerptQuestions } from '../../shared/themes'
import { formatCycle } from '../../shared/programme'
import { answerLabel } from '~/components/answer-label'
import { AuditStatusTag } from '~/components/audit-status'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { LiveAuditForm, questionAnchor } from '~/components/live-audit/live-audit-form'
import { ProblemSummary, TextField, WarningText, type FieldErrors } from '~/components/forms'
import { requireUser } from '~/utils/auth.server'
import {
  getAgencyCode,
  getAudit,
  getModerationRecord,
  getTemplateDefinitionById,
  listAuditAnswers,
  listAuditExcerpts,
  listThemes,
} from '~/utils/db.server'
import { submitLiveAudit } from '~/utils/submit.server'

const OPEN = new Set(['scheduled', 'in-progress'])

const SubmitSchema = z
  .object({
    flag: z.literal('yes').optional(),
    flagReason: z.string().trim().max(2000, 'Reasons must be 2,000 characters or fewer').optional(),
  })
  .refine((form) => form.flag !== 'yes' || (form.flagReason ?? '') !== '', {
    message: 'Enter why this audit should be moderated',
    path: ['flagReason'],
  })

async function loadAuditForm({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const auditId = z.uuid().safeParse(params.auditId)
  const audit = auditId.success
    ? await getAudit(context.db, { user, auditId: auditId.data })
    : undefined
  if (!audit) throw new Response('Not found', { status: 404 })
  const template = await getTemplateDefinitionById(context.db, {
    councilId: user.councilId,
    id: audit.templateVersionId,
  })
  if (!template) throw new Response('Not found', { status: 404 })
  const assignment = audit.assignments.find((a) => a.userId === user.id)
  return { user, audit, template, assignment }
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, audit, template, assignment } = await loadAuditForm(args)
  const userAgencyCode = await getAgencyCode(args.context.db, {
    councilId: user.councilId,
    agencyId: user.agencyId,
  })
  const open = OPEN.has(audit.status)
  const parts = partsOf(template).map((part) => ({
    part,
    name: documentName(audit.id, part),
    access: partAccess({ part, status: audit.status, assignment, userAgencyCode }),
  }))
  // A submitted audit is read from its stored answers, never from the live document.
  const answers = open ? [] : await listAuditAnswers(args.context.db, { auditId: audit.id })
  const themes = await listThemes(args.context.db, { councilId: user.councilId })
  const excerpts = open
    ? []
    : await listAuditExcerpts(args.context.db, {
        auditId: audit.id,
        keys: excerptQuestions(template).map((e) => e.key),
      })
  return json({
    audit: {
      id: audit.id,
      caseRef: audit.caseRef,
      cycle: audit.cycle,
      status: audit.status,
      team: audit.team,
    },
    template,
    themes: themes.map((t) => ({ code: t.code, label: t.label, keywords: t.keywords })),
    excerptThemes: Object.fromEntries(
      excerpts.map((e) => [
        e.key,
        e.themes.map((code) => themes.find((t) => t.code === code)?.label ?? code),
      ]),
    ),
    parts,
    open,
    canSubmit: open && assignment?.role === 'lead',
    me: { id: user.id, name: user.name, agency: userAgencyCode },
    answers: Object.fromEntries(answers.map((a) => [a.questionKey, a.auditorValue])),
    // The moderator's changes, shown beside the auditor's answers; the final value is theirs.
    moderated: Object.fromEntries(
      answers
        .filter((a) => a.moderationOutcome === 'changed')
        .map((a) => [a.questionKey, { value: a.moderatedValue, rationale: a.moderationRationale }]),
    ),
    auditorOverall: audit.auditorGrade ?? null,
    finalOverall: finalValue(audit.auditorGrade, audit.moderatedGrade),
    moderation:
      audit.status === 'moderated'
        ? await getModerationRecord(args.context.db, { auditId: audit.id })
        : undefined,
  })
}

function refuse(data: { missing: MissingAnswer[]; errors: FieldErrors }) {
  return json(data, { status: 400 })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit, template, assignment } = await loadAuditForm(args)
  if (assignment?.role !== 'lead')
    throw new Response('Only the lead auditor submits the audit', { status: 403 })
  const form = SubmitSchema.safeParse(Object.fromEntries(await args.request.formData()))
  if (!form.success) {
    return refuse({ missing: [], errors: z.flattenError(form.error).fieldErrors })
  }
  const result = await submitLiveAudit(args.context, {
    councilId: user.councilId,
    auditId: audit.id,
    userId: user.id,
    template,
    flagReason: form.data.flag === 'yes' ? form.data.flagReason : undefined,
  })
  if (!result.ok) return refuse({ missing: result.missing, errors: {} })
  return redirect(`/audits/${audit.id}/form?submitted=1`)
}

export default function AuditFormPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const missing = actionData?.missing ?? []
  return (
    <>
      <Link to={`/audits/${data.audit.id}`} className="govuk-back-link app-no-print">
        Back to the audit
      </Link>
      <ProblemSummary
        title="The audit cannot be submitted yet"
        problems={missing.map((m) => ({
          href: `#${questionAnchor(m.key)}`,
          text: `${m.section ? `${m.section}: ` : ''}${m.message}`,
        }))}
      />
      <span className="govuk-caption-l">
        {data.template.title}, {formatCycle(data.audit.cycle)}
      </span>
      <h1 className="govuk-heading-l">Case {data.audit.caseRef}</h1>
      <p className="govuk-body">
        <AuditStatusTag status={data.audit.status} /> {data.audit.team}
      </p>
      {data.open ? (
        <>
          <LiveAuditForm
            template={data.template}
            themes={data.themes}
            parts={data.parts}
            me={data.me}
            scheduled={data.audit.status === 'scheduled'}
          />
          {data.canSubmit ? (
            <Form method="post" className="app-no-print">
              <input type="hidden" name="intent" value="submit" />
              <div className="govuk-form-group">
                <div className="govuk-checkboxes govuk-checkboxes--small">
                  <div className="govuk-checkboxes__item">
                    <input
                      className="govuk-checkboxes__input"
                      id="flag"
                      name="flag"
                      type="checkbox"
                      value="yes"
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor="flag">
                      Ask for this audit to be moderated
                    </label>
                  </div>
                </div>
              </div>
              <TextField
                name="flagReason"
                label="Why should it be moderated? (if you ask)"
                hint="For example: you were unsure between two grades."
                errors={actionData?.errors.flagReason}
                multiline
              />
              <WarningText>
                Once submitted, the audit can no longer be changed by anyone.
              </WarningText>
              <button
                type="submit"
                className="govuk-button"
                disabled={navigation.state === 'submitting'}
              >
                {navigation.state === 'submitting' ? 'Submitting…' : 'Submit the audit'}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <AuditReport data={data} />
      )}
    </>
  )
}

type ReportData = ReturnType<typeof useLoaderData<typeof loader>>

/** The submitted audit as a report: read-only, laid out to print, with the moderated outcome. */
function AuditReport({ data }: { data: ReportData }) {
  const { template, answers, moderated, moderation } = data
  return (
    <>
      <nav className="app-no-print" aria-label="About this audit">
        <ul className="govuk-list">
          <li>
            <Link className="govuk-link" to={`/audits/${data.audit.id}/impact`}>
              Actions agreed, the practitioner’s reflection and the family’s feedback
            </Link>
          </li>
          <li>
            <Link className="govuk-link" to={`/audits/${data.audit.id}/themes`}>
              Learning themes of this audit
            </Link>
          </li>
        </ul>
      </nav>
      {moderation ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-m">Moderated by {moderation.moderator ?? 'a moderator'}</h2>
          <p className="govuk-body">
            Overall grade: {answerLabel(data.finalOverall, 'Not graded')}
            {data.finalOverall !== data.auditorOverall
              ? ` (the auditor graded it ${answerLabel(data.auditorOverall, 'not graded')})`
              : ', as the auditor graded it'}
            .
          </p>
          {moderation.feedback ? (
            <>
              <h3 className="govuk-heading-s">Feedback to the auditor</h3>
              <p className="govuk-body app-pre-wrap">{moderation.feedback}</p>
            </>
          ) : null}
          {moderation.dispute ? (
            <p className="govuk-body">
              Disputed by {moderation.dispute.raisedBy}:{' '}
              {moderation.dispute.outcome
                ? `resolved, ${moderation.dispute.outcome === 'upheld' ? 'the moderator’s decision stands' : 'the auditor’s grades stand'}.`
                : 'waiting for a practice-improvement lead.'}
            </p>
          ) : null}
        </div>
      ) : null}
      {template.sections.map((section, s) => (
        <section
          key={section.id}
          aria-labelledby={`report-${section.id}`}
          className="app-report-section"
        >
          <h2 className="govuk-heading-m" id={`report-${section.id}`}>
            {s + 1}. {section.title}
          </h2>
          <dl className="govuk-summary-list">
            {section.questions.map((question) => {
              const key = answerKey(section.id, question.id)
              return (
                <div key={question.id} className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">{question.label}</dt>
                  <dd className="govuk-summary-list__value app-pre-wrap">
                    <ReportValue auditor={answers[key] ?? null} change={moderated[key]} />
                    {data.excerptThemes[key]?.length ? (
                      <span className="govuk-body-s app-report-themes">
                        {' '}
                        Themes: {data.excerptThemes[key].join(', ')}
                      </span>
                    ) : null}
                  </dd>
                </div>
              )
            })}
          </dl>
        </section>
      ))}
      <h2 className="govuk-heading-m">Overall grade</h2>
      <div className="govuk-body-l" id={questionAnchor(OVERALL_KEY)}>
        <ReportValue
          auditor={data.auditorOverall}
          change={moderated[OVERALL_KEY]}
          empty="Not graded"
        />
      </div>
    </>
  )
}

/** An answer, and where the moderator changed it, both values side by side with the reason. */
function ReportValue(props: {
  auditor: string | null
  change: { value: string | null; rationale: string | null } | undefined
  empty?: string
}) {
  if (!props.change) return <>{answerLabel(props.auditor, props.empty)}</>
  return (
    <>
      <del className="app-report-auditor">
        <span className="govuk-visually-hidden">Auditor: </span>
        {answerLabel(props.auditor, props.empty)}
      </del>{' '}
      <ins className="app-report-moderated">
        <span className="govuk-visually-hidden">Moderated to: </span>
        {answerLabel(props.change.value, 'the auditor’s value (dispute upheld for the auditor)')}
      </ins>
      {props.change.rationale ? (
        <span className="govuk-body-s app-report-rationale">
          {' '}
          Moderator’s reason: {props.change.rationale}
        </span>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Audit form – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
