import { NotificationBanner } from './notification-banner'

/** An invitation to link a council account and sign in, shown once to the administrator who made it. */
export function InvitationLink(props: { name: string; providerName: string; url: string }) {
  return (
    <NotificationBanner success heading={`Send ${props.name} this link to set up their account`}>
      <p className="govuk-body">
        <code className="app-break-words" data-testid="invitation-link">
          {props.url}
        </code>
      </p>
      <p className="govuk-body">
        They sign in with {props.providerName} through it, once, within 7 days. Anyone with the link
        can use it, so send it only to them. It is not shown again: make a new one if it is lost.
      </p>
    </NotificationBanner>
  )
}
