import { useId, type ReactNode } from 'react'

/** GOV.UK notification banner: "Success" after an action (announced), "Important" otherwise. */
export function NotificationBanner(props: {
  success?: boolean
  heading: ReactNode
  children?: ReactNode
}) {
  const titleId = useId()
  return (
    <div
      className={`govuk-notification-banner${props.success ? ' govuk-notification-banner--success' : ''}`}
      role={props.success ? 'alert' : 'region'}
      aria-labelledby={titleId}
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {props.success ? 'Success' : 'Important'}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{props.heading}</p>
        {props.children}
      </div>
    </div>
  )
}
