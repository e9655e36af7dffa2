import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { COMPLETED_STATUSES } from '../../shared/audit-status'
import { can } from '../../shared/permissions'
import { formatCycle } from '../../shared/programme'
import { EXCERPT_KIND_LABELS, excerptQuestions } from '../../shared/themes'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorSummary } from '~/components/forms'
import { NotificationBanner } from '~/components/notification-banner'
import { requireUser } from '~/utils/auth.server'
import {
  getAudit,
  getTemplateDefinitionById,
  listAuditExcerpts,
  listThemes,
  setExcerptThemes,
} from '~/utils/db.server'

/**
 * The learning themes of a submitted audit, excerpt by excerpt. Moderators (who did not take part)
 * and practice-improvement leads may add or change an excerpt's themes; each change is kept in the
 * audit's moderation history.
 */
async function loadAuditThemes({ request, params, context }: LoaderFunctionArgs) {
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
  const tookPart = audit.assignments.some((a) => a.userId === user.id)
  const completed = (COMPLETED_STATUSES as readonly string[]).includes(audit.status)
  const mayRetag =
    completed && ((can(user, 'moderate:audit:any') && !tookPart) || can(user, 'manage:theme:any'))
  return { user, audit, template, mayRetag, excerpts: excerptQuestions(template) }
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, audit, template, mayRetag, excerpts } = await loadAuditThemes(args)
  const [stored, themes] = await Promise.all([
    listAuditExcerpts(args.context.db, { auditId: audit.id, keys: excerpts.map((e) => e.key) }),
    listThemes(args.context.db, { councilId: user.councilId }),
  ])
  const byKey = new Map(excerpts.map((e) => [e.key, e]))
  return json({
    audit: { id: audit.id, caseRef: audit.caseRef, cycle: audit.cycle, status: audit.status },
    templateTitle: template.title,
    mayRetag,
    themes: themes.map((t) => ({ code: t.code, label: t.label })),
    excerpts: stored.map((e) => ({
      ...e,
      kind: byKey.get(e.key)?.kind ?? 'strength',
      section: byKey.get(e.key)?.section ?? '',
      label: byKey.get(e.key)?.label ?? '',
    })),
  })
}

export async function action(args: ActionFunctionArgs) {
  const { user, audit, mayRetag, excerpts } = await loadAuditThemes(args)
  if (!mayRetag) throw new Response('You cannot change the themes of this audit', { status: 403 })
  const form = await args.request.formData()
  const excerpt = excerpts.find((e) => e.key === form.get('questionKey'))
  if (!excerpt) {
    return json(
      { errors: { questionKey: ['Choose an answer of this audit to tag'] } },
      { status: 400 },
    )
  }
  const codes = form.getAll('themes').map(String)
  const known = new Set(
    (await listThemes(args.context.db, { councilId: user.councilId })).map((t) => t.code),
  )
  const unknown = codes.filter((code) => !known.has(code))
  if (unknown.length > 0) {
    return json(
      { errors: { themes: [`“${unknown[0]}” is not one of the council’s themes`] } },
      { status: 400 },
    )
  }
  const changed = await setExcerptThemes(args.context.db, {
    councilId: user.councilId,
    userId: user.id,
    auditId: audit.id,
    questionKey: excerpt.key,
    kind: excerpt.kind,
    themes: codes,
  })
  if (!changed) throw new Response('The audit has moved on: reload the page', { status: 409 })
  return redirect(`/audits/${audit.id}/themes?saved=${encodeURIComponent(excerpt.key)}`)
}

export default function AuditThemesPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [search] = useSearchParams()
  const saved = data.excerpts.find((e) => e.key === search.get('saved'))
  return (
    <>
      <Link to={`/audits/${data.audit.id}`} className="govuk-back-link">
        Back to the audit
      </Link>
      <ErrorSummary errors={actionData?.errors} />
      {saved ? (
        <NotificationBanner success heading="Themes saved">
          <p className="govuk-body">
            {saved.section}: {saved.label}
          </p>
        </NotificationBanner>
      ) : null}
      <span className="govuk-caption-l">
        {data.templateTitle}, {formatCycle(data.audit.cycle)}
      </span>
      <h1 className="govuk-heading-l">Learning themes of case {data.audit.caseRef}</h1>
      {data.excerpts.length === 0 ? (
        <p className="govuk-body">
          {(COMPLETED_STATUSES as readonly string[]).includes(data.audit.status)
            ? 'This audit recorded no strengths or areas for development.'
            : 'Themes are shown here once the audit is submitted.'}
        </p>
      ) : null}
      {data.mayRetag && data.excerpts.length > 0 ? (
        <p className="govuk-body">
          As its moderator you can add or change the themes of each answer. Changes are kept in the
          audit’s moderation history.
        </p>
      ) : null}
      {data.excerpts.map((excerpt) => {
        const id = `excerpt-${excerpt.key.replace('.', '--')}`
        return (
          <section key={excerpt.key} aria-labelledby={id} className="app-report-section">
            <span className="govuk-caption-m">
              {excerpt.section} · {EXCERPT_KIND_LABELS[excerpt.kind]}
            </span>
            <h2 className="govuk-heading-s" id={id}>
              {excerpt.label}
            </h2>
            <p className="govuk-body app-pre-wrap">{excerpt.text}</p>
            {data.mayRetag ? (
              <Form method="post">
                <input type="hidden" name="questionKey" value={excerpt.key} />
                <div className="govuk-form-group">
                  <fieldset className="govuk-fieldset">
                    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                      Themes
                    </legend>
                    <div className="govuk-checkboxes govuk-checkboxes--small app-theme-checkboxes">
                      {data.themes.map((theme) => (
                        <div key={theme.code} className="govuk-checkboxes__item">
                          <input
                            className="govuk-checkboxes__input"
                            id={`${id}-${theme.code}`}
                            name="themes"
                            type="checkbox"
                            value={theme.code}
                            defaultChecked={excerpt.themes.includes(theme.code)}
                          />
                          <label
                            className="govuk-label govuk-checkboxes__label"
                            htmlFor={`${id}-${theme.code}`}
                          >
                            {theme.label}
                          </label>
                        </div>
                      ))}
                    </div>
                  </fieldset>
                </div>
                <button type="submit" className="govuk-button govuk-button--secondary">
                  Save themes<span className="govuk-visually-hidden"> of {excerpt.label}</span>
                </button>
              </Form>
            ) : (
              <p className="govuk-body-s">
                Themes:{' '}
                {excerpt.themes.length === 0
                  ? 'none'
                  : excerpt.themes
                      .map((code) => data.themes.find((t) => t.code === code)?.label ?? code)
                      .join(', ')}
              </p>
            )}
          </section>
        )
      })}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Learning themes of an audit – Case file audit' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
