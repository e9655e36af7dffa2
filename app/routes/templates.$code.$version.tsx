import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EVIDENCE_JUDGEMENTS, GRADES } from '../../shared/grading'
import type { QuestionType } from '../../shared/templates/schema'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requirePermission } from '~/utils/auth.server'
import { getTemplateVersion } from '~/utils/db.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'read:template:any')
  const version = Number(params.version)
  const found = Number.isInteger(version)
    ? await getTemplateVersion(context.db, {
        councilId: user.councilId,
        code: params.code ?? '',
        version,
      })
    : undefined
  if (!found) throw new Response('Not found', { status: 404 })
  return json({ template: found.definition, publishedAt: found.publishedAt })
}

const ANSWERS: Record<QuestionType, string> = {
  grade: GRADES.map((g) => g.label).join(' / '),
  evidence: EVIDENCE_JUDGEMENTS.map((e) => e.label).join(' / '),
  compliance: 'Yes / No / Not applicable',
  text: 'Free text',
}

export default function TemplatePage() {
  const { template } = useLoaderData<typeof loader>()
  return (
    <>
      <Link to="/templates" className="govuk-back-link">
        Back to templates
      </Link>
      <span className="govuk-caption-l">
        Version {template.version},{' '}
        {template.kind === 'supervision' ? 'supervision audit' : 'case-file audit'}
      </span>
      <h1 className="govuk-heading-l">{template.title}</h1>
      <p className="govuk-body">{template.description}</p>
      {template.sections.map((section, s) => (
        <section
          key={section.id}
          aria-labelledby={`section-${section.id}`}
          className="govuk-!-margin-bottom-8"
        >
          <h2 className="govuk-heading-m" id={`section-${section.id}`}>
            {s + 1}. {section.title}
          </h2>
          {section.editableBy !== 'lead' ? (
            <p className="govuk-body-s">Completed by the {section.editableBy} auditor.</p>
          ) : null}
          {section.description ? <p className="govuk-body">{section.description}</p> : null}
          <dl className="govuk-summary-list">
            {section.questions.map((question) => (
              <div key={question.id} className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">
                  {question.label}
                  {question.required ? '' : ' (optional)'}
                </dt>
                <dd className="govuk-summary-list__value">
                  {ANSWERS[question.type]}
                  {question.measure ? (
                    <strong className="govuk-tag govuk-tag--blue app-tag-after">
                      KPI: {question.measure}
                    </strong>
                  ) : null}
                  {question.hint ? (
                    <p className="govuk-hint govuk-!-margin-top-2">{question.hint}</p>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <h2 className="govuk-heading-m">Overall grade</h2>
      <p className="govuk-body">{template.overall.label}</p>
      {template.overall.hint ? <p className="govuk-hint">{template.overall.hint}</p> : null}
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">This version as JSON</span>
        </summary>
        <div className="govuk-details__text">
          <pre className="app-code" tabIndex={0}>
            {JSON.stringify(template, null, 2)}
          </pre>
        </div>
      </details>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Template – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
