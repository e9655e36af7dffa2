import type { Presence, SaveStatus } from './use-live-parts'

const STATUS_TEXT: Record<SaveStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  paused:
    'Saving paused — your changes are kept on this page and will be saved when the server can store them again',
  offline: 'Offline — your changes will be sent when the connection returns',
  connecting: 'Connecting…',
}

/**
 * The bar over a live page: whether everything you did is stored, and who else is here (announced
 * politely to screen readers). Buttons such as Undo and Redo go inside it.
 */
export function LiveBar(props: {
  status: SaveStatus
  people: Presence[]
  alone: string
  children?: React.ReactNode
}) {
  return (
    <div className="app-live-bar">
      <p
        className={`govuk-body govuk-!-margin-bottom-0 app-save-status app-save-status--${props.status}`}
        role="status"
      >
        {STATUS_TEXT[props.status]}
      </p>
      <p className="govuk-body-s govuk-!-margin-bottom-0" aria-live="polite">
        {props.people.length === 0
          ? props.alone
          : `Also here: ${props.people.map((p) => `${p.name}${p.agency ? ` (${p.agency})` : ''}`).join(', ')}`}
      </p>
      {props.children}
    </div>
  )
}

/** A tag on a question for each person whose cursor is in it. */
export function Here({ people }: { people: Presence[] }) {
  if (people.length === 0) return null
  return (
    <p className="app-presence govuk-!-margin-bottom-2">
      {people.map((p) => (
        <strong key={p.userId} className="govuk-tag govuk-tag--purple">
          {p.name} is here
        </strong>
      ))}
    </p>
  )
}
