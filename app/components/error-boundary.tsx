import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const MESSAGES: Record<number, { title: string; body: string }> = {
  403: {
    title: 'You do not have permission to see this page',
    body: 'If you think you should, ask your administrator to check your roles.',
  },
  404: {
    title: 'Page not found',
    body: 'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.',
  },
}

/** The one error page every route uses: a real status, a plain explanation, and a way back. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = MESSAGES[status] ?? {
    title: 'Sorry, there is a problem with the service',
    body: 'Try again later. Nothing you had saved has been lost.',
  }
  if (status >= 500) console.error(error)
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{message.title}</h1>
        <p className="govuk-body">{message.body}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to="/">
            Go to your home page
          </Link>
        </p>
      </div>
    </div>
  )
}
