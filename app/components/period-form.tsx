import type { ReactNode } from 'react'
import { Form } from '@remix-run/react'
import type { Period } from '../../shared/kpis'

/** A period of months to show (GET, so the URL says what is shown); `keep` carries other choices along. */
export function PeriodForm(props: {
  period: Period
  errors: readonly { field: 'from' | 'to'; message: string }[]
  keep?: Record<string, string | null>
  /** Beside the button: links such as a CSV download. */
  children?: ReactNode
}) {
  return (
    <Form method="get" className="app-no-print">
      {Object.entries(props.keep ?? {}).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
      <div className="govuk-grid-row">
        {(['from', 'to'] as const).map((field) => {
          const error = props.errors.find((e) => e.field === field)
          return (
            <div key={field} className="govuk-grid-column-one-quarter">
              <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
                <label className="govuk-label" htmlFor={field}>
                  {field === 'from' ? 'From month' : 'To month'}
                </label>
                <div id={`${field}-hint`} className="govuk-hint">
                  For example, 2026-04
                </div>
                {error ? (
                  <p id={`${field}-error`} className="govuk-error-message">
                    <span className="govuk-visually-hidden">Error:</span> {error.message}
                  </p>
                ) : null}
                <input
                  className={`govuk-input govuk-input--width-5${error ? ' govuk-input--error' : ''}`}
                  id={field}
                  name={field}
                  defaultValue={props.period[field]}
                  aria-describedby={`${field}-hint${error ? ` ${field}-error` : ''}`}
                  spellCheck={false}
                />
              </div>
            </div>
          )
        })}
      </div>
      <div className="govuk-button-group">
        <button type="submit" className="govuk-button govuk-button--secondary">
          Show this period
        </button>
        {props.children}
      </div>
    </Form>
  )
}
