import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import * as Y from 'yjs'
import { EVIDENCE_JUDGEMENTS, GRADES } from '../../../shared/grading'
import { answerKey, LEAD_PART, OVERALL_KEY, partOfSection } from '../../../shared/live-document'
import type { Question, Template } from '../../../shared/templates/schema'
import {
  LOCAL_ORIGIN,
  presenceOf,
  saveStatusOf,
  useLiveParts,
  type LivePart,
  type Presence,
} from './use-live-parts'
import { Here, LiveBar } from './live-bar'
import { ExcerptThemes } from './excerpt-themes'
import { EXCERPT_KINDS, type Theme } from '../../../shared/themes'

const CHOICES: Record<
  Exclude<Question['type'], 'text'>,
  readonly { code: string; label: string }[]
> = {
  grade: GRADES,
  evidence: EVIDENCE_JUDGEMENTS,
  compliance: [
    { code: 'yes', label: 'Yes' },
    { code: 'no', label: 'No' },
    { code: 'n/a', label: 'Not applicable' },
  ],
}

export function questionAnchor(key: string): string {
  return `q-${key.replace('.', '--')}`
}

type Props = {
  template: Template
  /** The council's learning themes, to tag strengths and areas for development with. */
  themes: readonly Theme[]
  parts: { part: string; name: string; access: 'edit' | 'read' }[]
  me: { id: string; name: string; agency: string | null }
  /** The page shows the audit as scheduled: once its first edit is stored, it reloads its data. */
  scheduled: boolean
}

/** The audit form, live: every auditor's answers and typing appear as they happen. */
export function LiveAuditForm({ template, themes, parts: partList, me, scheduled }: Props) {
  const revalidator = useRevalidator()
  const parts = useLiveParts({
    parts: partList,
    me,
    onClosedForGood: () => revalidator.revalidate(),
    onStarted: () => {
      if (scheduled && revalidator.state === 'idle') revalidator.revalidate()
    },
  })
  const byPart = new Map(parts.map((p) => [p.part, p]))
  const status = saveStatusOf(parts)
  const people = presenceOf(parts, me.id)
  const editable = parts.filter((p) => p.access === 'edit')

  const focusOn = (key: string | null) => {
    for (const part of parts) {
      part.provider.awareness.setLocalStateField('focus', key)
      // A step of undo is one question's edit: moving to another question starts the next step.
      part.undo.stopCapturing()
    }
  }

  return (
    <div>
      <LiveBar status={status} people={people} alone="Nobody else is in this audit.">
        {editable.length > 0 ? (
          <div className="govuk-button-group govuk-!-margin-bottom-0">
            <button
              type="button"
              className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
              disabled={!editable.some((p) => p.undo.canUndo())}
              onClick={() => editable.find((p) => p.undo.canUndo())?.undo.undo()}
            >
              Undo
            </button>
            <button
              type="button"
              className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
              disabled={!editable.some((p) => p.undo.canRedo())}
              onClick={() => editable.find((p) => p.undo.canRedo())?.undo.redo()}
            >
              Redo
            </button>
          </div>
        ) : null}
      </LiveBar>

      {template.sections.map((section, s) => {
        const part = byPart.get(partOfSection(section))
        const readOnly = !part || part.access !== 'edit'
        return (
          <section
            key={section.id}
            aria-labelledby={`section-${section.id}`}
            className="govuk-!-margin-bottom-9"
          >
            <h2 className="govuk-heading-m" id={`section-${section.id}`}>
              {s + 1}. {section.title}
            </h2>
            {section.description ? <p className="govuk-body">{section.description}</p> : null}
            {readOnly && part ? (
              <p className="govuk-inset-text">
                You can read this section; its auditors complete it.
              </p>
            ) : null}
            {section.questions.map((question) => {
              const key = answerKey(section.id, question.id)
              return (
                <div key={key}>
                  <QuestionField
                    answerKey={key}
                    question={question}
                    part={part}
                    readOnly={readOnly}
                    here={people.filter((p) => p.focus === key)}
                    onFocus={() => focusOn(key)}
                  />
                  {question.type === 'text' && question.id in EXCERPT_KINDS ? (
                    <ExcerptThemes
                      excerptKey={key}
                      anchor={questionAnchor(key)}
                      themes={themes}
                      part={part}
                      readOnly={readOnly}
                      onFocus={() => focusOn(key)}
                    />
                  ) : null}
                </div>
              )
            })}
          </section>
        )
      })}
      <section aria-labelledby="overall-heading">
        <h2 className="govuk-heading-m" id="overall-heading">
          Overall grade
        </h2>
        <QuestionField
          answerKey={OVERALL_KEY}
          question={{
            id: 'overall',
            type: 'grade',
            label: template.overall.label,
            hint: template.overall.hint,
            required: true,
          }}
          part={byPart.get(LEAD_PART)}
          readOnly={byPart.get(LEAD_PART)?.access !== 'edit'}
          here={people.filter((p) => p.focus === OVERALL_KEY)}
          onFocus={() => focusOn(OVERALL_KEY)}
        />
      </section>
    </div>
  )
}

function QuestionField(props: {
  answerKey: string
  question: Question
  part: LivePart | undefined
  readOnly: boolean
  here: Presence[]
  onFocus: () => void
}) {
  const { answerKey: key, question, part, readOnly } = props
  const id = questionAnchor(key)
  const hintId = question.hint ? `${id}-hint` : undefined
  const value = part?.answers.get(key)
  if (question.type === 'text') {
    return (
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor={id}>
          {question.label}
          {question.required ? '' : ' (optional)'}
        </label>
        <Here people={props.here} />
        {question.hint ? (
          <div id={hintId} className="govuk-hint">
            {question.hint}
          </div>
        ) : null}
        {value instanceof Y.Text ? (
          <TextAnswer
            id={id}
            text={value}
            readOnly={readOnly}
            describedBy={hintId}
            onFocus={props.onFocus}
          />
        ) : (
          <textarea
            className="govuk-textarea"
            id={id}
            rows={4}
            disabled
            aria-describedby={hintId}
          />
        )}
      </div>
    )
  }
  const current = typeof value === 'string' ? value : ''
  return (
    <div className="govuk-form-group">
      <fieldset className="govuk-fieldset" aria-describedby={hintId} id={id} tabIndex={-1}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
          {question.label}
          {question.required ? '' : ' (optional)'}
        </legend>
        <Here people={props.here} />
        {question.hint ? (
          <div id={hintId} className="govuk-hint">
            {question.hint}
          </div>
        ) : null}
        <div className="govuk-radios govuk-radios--small govuk-radios--inline">
          {CHOICES[question.type].map((choice) => {
            const choiceId = `${id}-${choice.code.replace('/', '')}`
            return (
              <div key={choice.code} className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={choiceId}
                  name={id}
                  type="radio"
                  value={choice.code}
                  checked={current === choice.code}
                  disabled={readOnly || !part}
                  onFocus={props.onFocus}
                  onChange={() =>
                    part?.doc.transact(() => part.answers.set(key, choice.code), LOCAL_ORIGIN)
                  }
                />
                <label className="govuk-label govuk-radios__label" htmlFor={choiceId}>
                  {choice.label}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}

/**
 * A textarea bound to a Y.Text: local typing becomes the smallest insert and delete, and remote
 * changes move the caret as the text around it moves, so two people can type in one answer.
 */
function TextAnswer(props: {
  id: string
  text: Y.Text
  readOnly: boolean
  describedBy?: string
  onFocus: () => void
}) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const { text } = props

  useEffect(() => {
    const element = ref.current
    if (!element) return
    element.value = text.toString()
    const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.origin === LOCAL_ORIGIN && transaction.local) return
      let start = element.selectionStart
      let end = element.selectionEnd
      let index = 0
      for (const op of event.delta) {
        if (op.retain) index += op.retain
        else if (typeof op.insert === 'string') {
          if (index <= start) start += op.insert.length
          if (index <= end) end += op.insert.length
          index += op.insert.length
        } else if (op.delete) {
          if (index < start) start -= Math.min(op.delete, start - index)
          if (index < end) end -= Math.min(op.delete, end - index)
        }
      }
      element.value = text.toString()
      if (document.activeElement === element) element.setSelectionRange(start, end)
    }
    text.observe(observer)
    return () => text.unobserve(observer)
  }, [text])

  const onInput = () => {
    const element = ref.current
    if (!element || !text.doc) return
    const before = text.toString()
    const after = element.value
    let prefix = 0
    while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix])
      prefix += 1
    let suffix = 0
    while (
      suffix < before.length - prefix &&
      suffix < after.length - prefix &&
      before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
    ) {
      suffix += 1
    }
    text.doc.transact(() => {
      const removed = before.length - prefix - suffix
      if (removed > 0) text.delete(prefix, removed)
      const inserted = after.slice(prefix, after.length - suffix)
      if (inserted) text.insert(prefix, inserted)
    }, LOCAL_ORIGIN)
  }

  return (
    <textarea
      ref={ref}
      className="govuk-textarea"
      id={props.id}
      rows={4}
      readOnly={props.readOnly}
      aria-describedby={props.describedBy}
      onInput={onInput}
      onFocus={props.onFocus}
    />
  )
}
