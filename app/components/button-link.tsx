import type { ReactNode } from 'react'

/**
 * A GOV.UK button that is a plain link: for a step that leaves the app (to an identity provider),
 * which a form could not take under the pages' `form-action 'self'` policy.
 */
export function ButtonLink(props: { href: string; start?: boolean; children: ReactNode }) {
  return (
    <a
      href={props.href}
      role="button"
      draggable="false"
      className={`govuk-button${props.start ? ' govuk-button--start' : ''}`}
      data-module="govuk-button"
    >
      {props.children}
    </a>
  )
}
