import * as Y from 'yjs'
import { suggestThemes, tagKey, THEMES_MAP, type Theme } from '../../../shared/themes'
import { LOCAL_ORIGIN, type LivePart } from './use-live-parts'

/**
 * The themes of one excerpt, live: a checkbox per council theme, and suggestions from the excerpt's
 * words with what matched, each to add or dismiss. Nothing is tagged until an auditor says so; a
 * dismissed suggestion is remembered in the document so that it is not offered again.
 */
export function ExcerptThemes(props: {
  excerptKey: string
  anchor: string
  themes: readonly Theme[]
  part: LivePart | undefined
  readOnly: boolean
  onFocus: () => void
}) {
  const { excerptKey, themes, part, readOnly } = props
  const map = part?.doc.getMap(THEMES_MAP)
  const state = (code: string) => map?.get(tagKey(excerptKey, code))
  const tagged = themes.filter((t) => state(t.code) === true)
  const value = part?.answers.get(excerptKey)
  const text = value instanceof Y.Text ? value.toString() : ''
  const skip = new Set(themes.filter((t) => state(t.code) !== undefined).map((t) => t.code))
  const suggestions = readOnly ? [] : suggestThemes(text, themes, skip)
  const set = (code: string, next: boolean | null) => {
    if (!part || !map) return
    part.doc.transact(() => {
      if (next === null) map.delete(tagKey(excerptKey, code))
      else map.set(tagKey(excerptKey, code), next)
    }, LOCAL_ORIGIN)
  }
  const id = `${props.anchor}-themes`

  if (readOnly) {
    return (
      <p className="govuk-body-s" id={id}>
        Themes:{' '}
        {tagged.length === 0
          ? 'none yet'
          : tagged.map((t) => (
              <strong key={t.code} className="govuk-tag govuk-tag--grey app-theme-tag">
                {t.label}
              </strong>
            ))}
      </p>
    )
  }
  return (
    <div className="govuk-form-group app-excerpt-themes">
      <fieldset className="govuk-fieldset" aria-describedby={`${id}-hint`}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
          Learning themes of this answer
        </legend>
        <div id={`${id}-hint`} className="govuk-hint">
          Tick each theme this answer speaks to. Leads see themes across audits, without names.
        </div>
        {suggestions.length > 0 ? (
          <div className="app-suggestions" aria-live="polite">
            <h4 className="govuk-heading-s govuk-!-margin-bottom-1">Suggested from its words</h4>
            <ul className="govuk-list">
              {suggestions.map((s) => (
                <li key={s.code} className="app-suggestion">
                  <span className="govuk-body-s">
                    <strong>{s.label}</strong>: matched {s.matches.map((m) => `“${m}”`).join(', ')}
                  </span>{' '}
                  <button
                    type="button"
                    className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 app-button--small"
                    onFocus={props.onFocus}
                    onClick={() => set(s.code, true)}
                  >
                    Add<span className="govuk-visually-hidden"> {s.label}</span>
                  </button>{' '}
                  <button
                    type="button"
                    className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 app-button--small"
                    onFocus={props.onFocus}
                    onClick={() => set(s.code, false)}
                  >
                    Not this one<span className="govuk-visually-hidden"> for {s.label}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="govuk-checkboxes govuk-checkboxes--small app-theme-checkboxes">
          {themes.map((theme) => {
            const checkboxId = `${id}-${theme.code}`
            return (
              <div key={theme.code} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={checkboxId}
                  type="checkbox"
                  checked={state(theme.code) === true}
                  disabled={!part}
                  onFocus={props.onFocus}
                  onChange={(event) => set(theme.code, event.target.checked ? true : null)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={checkboxId}>
                  {theme.label}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}
