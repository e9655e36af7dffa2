import { useEffect, useRef } from 'react'

export type FieldErrors = Partial<Record<string, string[] | undefined>>

/** GOV.UK error summary: focused when it appears, each message linking to its field. */
export function ErrorSummary({ errors }: { errors: FieldErrors | undefined }) {
  const ref = useRef<HTMLDivElement>(null)
  const entries = Object.entries(errors ?? {}).filter(
    (entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0,
  )
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus()
  }, [entries.length, errors])
  if (entries.length === 0) return null
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {entries.map(([field, messages]) => (
              <li key={field}>
                <a href={`#${field === 'form' ? 'main-content' : field}`}>{messages[0]}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  )
}

export function TextField(props: {
  name: string
  label: string
  type?: 'text' | 'email' | 'password'
  autoComplete?: string
  hint?: string
  defaultValue?: string
  errors?: string[]
  width?: 'govuk-!-width-two-thirds' | 'govuk-!-width-one-half' | 'govuk-input--width-20'
  /** A reason or comment of a few sentences: a textarea rather than one line. */
  multiline?: boolean
}) {
  const error = props.errors?.[0]
  const describedBy = [props.hint ? `${props.name}-hint` : '', error ? `${props.name}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label" htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div id={`${props.name}-hint`} className="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${props.name}-error`} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea
          className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
          id={props.name}
          name={props.name}
          rows={4}
          defaultValue={props.defaultValue}
          aria-describedby={describedBy || undefined}
        />
      ) : (
        <input
          className={`govuk-input ${props.width ?? ''}${error ? ' govuk-input--error' : ''}`}
          id={props.name}
          name={props.name}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          spellCheck={false}
          defaultValue={props.defaultValue}
          aria-describedby={describedBy || undefined}
        />
      )}
    </div>
  )
}

export function SelectField(props: {
  name: string
  label: string
  options: { value: string; text: string }[]
  placeholder?: string
  hint?: string
  defaultValue?: string
  errors?: string[]
}) {
  const error = props.errors?.[0]
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label" htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div id={`${props.name}-hint`} className="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${props.name}-error`} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={props.name}
        name={props.name}
        defaultValue={props.defaultValue ?? ''}
        aria-describedby={
          [props.hint ? `${props.name}-hint` : '', error ? `${props.name}-error` : '']
            .filter(Boolean)
            .join(' ') || undefined
        }
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * GOV.UK error summary for problems that belong to places on the page rather than to one form's
 * fields (the questions of an audit, a decision's judgements): each links to where it is.
 */
export function ProblemSummary(props: {
  title: string
  problems: readonly { href: string; text: string }[]
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (props.problems.length > 0) ref.current?.focus()
  }, [props.problems])
  if (props.problems.length === 0) return null
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{props.title}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {props.problems.map((p) => (
              <li key={p.href + p.text}>
                <a href={p.href}>{p.text}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  )
}

/** GOV.UK warning text: something the user must know before they act. */
export function WarningText({ children }: { children: React.ReactNode }) {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  )
}
