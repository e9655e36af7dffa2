import { ACTION_STATE_LABELS, type ActionState } from '../../shared/actions'

const STATE_TAGS: Record<ActionState, string> = {
  open: 'govuk-tag--blue',
  overdue: 'govuk-tag--red',
  done: 'govuk-tag--green',
}

/** An action's state as a GOV.UK tag: the word carries it, the colour only helps. */
export function ActionStateTag({ state }: { state: ActionState }) {
  return <strong className={`govuk-tag ${STATE_TAGS[state]}`}>{ACTION_STATE_LABELS[state]}</strong>
}
