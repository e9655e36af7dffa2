import { useRevalidator } from '@remix-run/react'
import { useState } from 'react'
import * as Y from 'yjs'
import { EVIDENCE_JUDGEMENTS, GRADES } from '../../../shared/grading'
import {
  decisionKeys,
  DECISIONS_MAP,
  FEEDBACK_KEY,
  GENERAL_THREAD,
  THREADS_MAP,
  type ModeratedQuestion,
} from '../../../shared/moderation'
import { readThreads } from '../../../shared/moderation-document'
import { answerLabel } from '../answer-label'
import { questionAnchor } from '../live-audit/live-audit-form'
import { Here, LiveBar } from '../live-audit/live-bar'
import { LOCAL_ORIGIN, presenceOf, saveStatusOf, useLiveParts } from '../live-audit/use-live-parts'

type Props = {
  questions: ModeratedQuestion[]
  auditorValues: Record<string, string | null>
  decisions: { name: string; access: 'edit' | 'read' }
  discussion: { name: string; access: 'comment' | 'read' }
  me: { id: string; name: string; agency: string | null }
}

/**
 * The moderator's workspace, live: the moderator agrees or changes each judgement beside the
 * auditor's value, while the moderator and the auditors talk each one through in its thread.
 */
export function ModerationWorkspace(props: Props) {
  const revalidator = useRevalidator()
  const parts = useLiveParts({
    parts: [
      { part: 'decisions', name: props.decisions.name, access: props.decisions.access },
      {
        part: 'discussion',
        name: props.discussion.name,
        // On the page, adding comments is writing: the status waits for them to be stored too.
        access: props.discussion.access === 'read' ? 'read' : 'edit',
      },
    ],
    me: props.me,
    onClosedForGood: () => revalidator.revalidate(),
  })
  const decisionsPart = parts.find((p) => p.part === 'decisions')
  const discussionPart = parts.find((p) => p.part === 'discussion')
  const status = saveStatusOf(parts)
  const people = presenceOf(parts, props.me.id)
  const decisions = decisionsPart?.doc.getMap(DECISIONS_MAP)
  const threads = discussionPart ? readThreads(discussionPart.doc) : {}
  const canDecide = props.decisions.access === 'edit'
  const canComment = props.discussion.access === 'comment'

  const focusOn = (key: string | null) => {
    for (const part of parts) part.provider.awareness.setLocalStateField('focus', key)
  }
  const set = (key: string, value: string | null) => {
    if (!decisionsPart || !decisions) return
    decisionsPart.doc.transact(() => {
      if (value === null) decisions.delete(key)
      else decisions.set(key, value)
    }, LOCAL_ORIGIN)
  }
  const comment = (thread: string, text: string) => {
    const array = discussionPart?.doc.getMap(THREADS_MAP).get(thread)
    if (!discussionPart || !(array instanceof Y.Array)) return
    discussionPart.doc.transact(() => {
      array.push([
        {
          id: crypto.randomUUID(),
          userId: props.me.id,
          name: props.me.name,
          text,
          at: new Date().toISOString(),
        },
      ])
    }, LOCAL_ORIGIN)
  }

  return (
    <div>
      <LiveBar status={status} people={people} alone="Nobody else is here." />
      {props.questions.map((question) => (
        <section
          key={question.key}
          id={questionAnchor(question.key)}
          aria-labelledby={`mod-${questionAnchor(question.key)}`}
          className="app-moderation-item govuk-!-margin-bottom-7"
          onFocus={() => focusOn(question.key)}
        >
          <span className="govuk-caption-m">{question.section}</span>
          <h2 className="govuk-heading-m" id={`mod-${questionAnchor(question.key)}`}>
            {question.label}
          </h2>
          <Here people={people.filter((p) => p.focus === question.key)} />
          <dl className="govuk-summary-list govuk-!-margin-bottom-4">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Auditor’s judgement</dt>
              <dd className="govuk-summary-list__value">
                {answerLabel(props.auditorValues[question.key])}
              </dd>
            </div>
          </dl>
          <Decision
            question={question}
            decisions={decisions}
            canDecide={canDecide}
            auditorValue={props.auditorValues[question.key] ?? null}
            onChange={set}
          />
          <Thread
            id={question.key}
            title={`Discussion of “${question.label}”`}
            comments={threads[question.key] ?? []}
            canComment={canComment}
            onComment={(text) => comment(question.key, text)}
          />
        </section>
      ))}
      <section aria-labelledby="feedback-heading" onFocus={() => focusOn(FEEDBACK_KEY)}>
        <h2 className="govuk-heading-m" id="feedback-heading">
          Feedback to the auditor
        </h2>
        <Here people={people.filter((p) => p.focus === FEEDBACK_KEY)} />
        {canDecide ? (
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="moderation-feedback">
              What went well, and what to do differently
            </label>
            <textarea
              className="govuk-textarea"
              id="moderation-feedback"
              rows={5}
              value={stringAt(decisions, FEEDBACK_KEY)}
              onChange={(event) => set(FEEDBACK_KEY, event.target.value)}
            />
          </div>
        ) : (
          <p className="govuk-body app-pre-wrap">
            {stringAt(decisions, FEEDBACK_KEY) || 'No feedback yet.'}
          </p>
        )}
        <Thread
          id={GENERAL_THREAD}
          title="General discussion"
          comments={threads[GENERAL_THREAD] ?? []}
          canComment={canComment}
          onComment={(text) => comment(GENERAL_THREAD, text)}
        />
      </section>
    </div>
  )
}

function stringAt(map: Y.Map<unknown> | undefined, key: string): string {
  const value = map?.get(key)
  return typeof value === 'string' ? value : ''
}

function Decision(props: {
  question: ModeratedQuestion
  decisions: Y.Map<unknown> | undefined
  canDecide: boolean
  auditorValue: string | null
  onChange: (key: string, value: string | null) => void
}) {
  const { question, decisions } = props
  const keys = decisionKeys(question.key)
  const anchor = questionAnchor(question.key)
  const outcome = stringAt(decisions, keys.outcome)
  const value = stringAt(decisions, keys.value)
  const rationale = stringAt(decisions, keys.rationale)
  const scale = question.type === 'grade' ? GRADES : EVIDENCE_JUDGEMENTS
  if (!props.canDecide) {
    return (
      <p className="govuk-body">
        <strong>Moderator: </strong>
        {outcome === 'agree'
          ? 'Agreed'
          : outcome === 'change'
            ? `Changed to ${answerLabel(value, 'a value not yet chosen')}${rationale ? ` — ${rationale}` : ''}`
            : 'Not yet decided'}
      </p>
    )
  }
  return (
    <>
      <div className="govuk-form-group">
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            Your decision on “{question.label}”
          </legend>
          <div className="govuk-radios govuk-radios--small govuk-radios--inline">
            <ChoiceRadios
              name={`${anchor}-outcome`}
              choices={[
                { code: 'agree', label: 'Agree' },
                { code: 'change', label: 'Change it' },
              ]}
              value={outcome}
              onChange={(code) => props.onChange(keys.outcome, code)}
            />
          </div>
        </fieldset>
      </div>
      {outcome === 'change' ? (
        <div className="govuk-inset-text">
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                New value
              </legend>
              <div className="govuk-radios govuk-radios--small">
                <ChoiceRadios
                  name={`${anchor}-value`}
                  choices={scale.filter((choice) => choice.code !== props.auditorValue)}
                  value={value}
                  onChange={(code) => props.onChange(keys.value, code)}
                />
              </div>
            </fieldset>
          </div>
          <div className="govuk-form-group">
            <label className="govuk-label govuk-label--s" htmlFor={`${anchor}-rationale`}>
              Why change it?
            </label>
            <textarea
              className="govuk-textarea"
              id={`${anchor}-rationale`}
              rows={3}
              value={rationale}
              onChange={(event) => props.onChange(keys.rationale, event.target.value)}
            />
          </div>
        </div>
      ) : null}
    </>
  )
}

/** Small GOV.UK radios bound to a live value: checked from the document, set on change. */
function ChoiceRadios(props: {
  name: string
  choices: readonly { code: string; label: string }[]
  value: string
  onChange: (code: string) => void
}) {
  return (
    <>
      {props.choices.map((choice) => (
        <div key={choice.code} className="govuk-radios__item">
          <input
            className="govuk-radios__input"
            id={`${props.name}-${choice.code}`}
            name={props.name}
            type="radio"
            checked={props.value === choice.code}
            onChange={() => props.onChange(choice.code)}
          />
          <label
            className="govuk-label govuk-radios__label"
            htmlFor={`${props.name}-${choice.code}`}
          >
            {choice.label}
          </label>
        </div>
      ))}
    </>
  )
}

function Thread(props: {
  id: string
  title: string
  comments: { id: string; name: string; text: string; at: string }[]
  canComment: boolean
  onComment: (text: string) => void
}) {
  const [draft, setDraft] = useState('')
  const fieldId = `thread-${questionAnchor(props.id)}`
  return (
    <div className="app-thread">
      <h3 className="govuk-heading-s">{props.title}</h3>
      {props.comments.length === 0 ? (
        <p className="govuk-body-s govuk-hint">No comments yet.</p>
      ) : (
        <ul className="govuk-list app-thread__comments" aria-live="polite">
          {props.comments.map((c) => (
            <li key={c.id} className="app-thread__comment">
              <p className="govuk-body-s govuk-!-margin-bottom-1">
                <strong>{c.name}</strong>{' '}
                <time dateTime={c.at}>
                  {new Date(c.at).toLocaleString('en-GB', {
                    day: 'numeric',
                    month: 'short',
                    hour: '2-digit',
                    minute: '2-digit',
                  })}
                </time>
              </p>
              <p className="govuk-body app-pre-wrap govuk-!-margin-bottom-2">{c.text}</p>
            </li>
          ))}
        </ul>
      )}
      {props.canComment ? (
        <div className="govuk-form-group govuk-!-margin-bottom-2">
          <label className="govuk-label govuk-label--s" htmlFor={fieldId}>
            Add a comment
          </label>
          <textarea
            className="govuk-textarea govuk-!-margin-bottom-2"
            id={fieldId}
            rows={2}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button
            type="button"
            className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
            disabled={draft.trim() === ''}
            onClick={() => {
              props.onComment(draft.trim())
              setDraft('')
            }}
          >
            Add comment
          </button>
        </div>
      ) : null}
    </div>
  )
}
