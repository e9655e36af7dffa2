import { useFetcher, useLocation, useSubmit } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'

const TICK_MS = 1_000

function formatRemaining(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  const parts = []
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  if (rest > 0 || minutes === 0) parts.push(`${rest} second${rest === 1 ? '' : 's'}`)
  return parts.join(' ')
}

/**
 * GOV.UK's timeout warning: a modal dialog shortly before the idle timeout, with a way to stay signed
 * in. The server enforces the timeout itself; this only tells the user before it happens, and signs
 * the page out when it has.
 */
export function IdleWarning({
  timeoutSeconds,
  warningSeconds,
}: {
  timeoutSeconds: number
  warningSeconds: number
}) {
  const location = useLocation()
  const keepAlive = useFetcher<{ ok: boolean }>()
  const submit = useSubmit()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const [now, setNow] = useState(() => Date.now())
  const [activity, setActivity] = useState(() => ({ key: location.key, at: Date.now() }))

  // Every navigation reached the server, which restarted the idle clock there; restart it here too.
  // (Adjusting state while rendering, as React's docs advise, rather than in an effect.)
  if (activity.key !== location.key) setActivity({ key: location.key, at: now })

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS)
    return () => clearInterval(timer)
  }, [])

  const stayKeepAlive = () => {
    setActivity({ key: location.key, at: Date.now() })
    keepAlive.submit(null, { method: 'post', action: '/session/keep-alive' })
  }

  const remaining = Math.max(0, Math.ceil((activity.at + timeoutSeconds * 1000 - now) / 1000))
  // The server had already ended the session (another tab signed out, or an admin deactivated us).
  const sessionGone = keepAlive.data?.ok === false
  const warning = remaining <= warningSeconds

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (warning && !dialog.open) dialog.showModal()
    if (!warning && dialog.open) dialog.close()
  }, [warning])

  useEffect(() => {
    if (remaining === 0 || sessionGone)
      submit({ reason: 'idle' }, { method: 'post', action: '/logout' })
  }, [remaining, sessionGone, submit])

  // Screen readers hear the time left when the dialog opens and then each minute, not every second.
  const announced = Math.ceil(remaining / 60) * 60
  return (
    <dialog
      ref={dialogRef}
      className="app-timeout-dialog"
      aria-labelledby="timeout-heading"
      aria-describedby="timeout-message"
      onCancel={(event) => {
        // Escape means "stay", as GOV.UK's timeout pattern does.
        event.preventDefault()
        stayKeepAlive()
      }}
    >
      <h2 id="timeout-heading" className="govuk-heading-m">
        You are about to be signed out
      </h2>
      <p id="timeout-message" className="govuk-body">
        For your security, we will sign you out in <strong>{formatRemaining(remaining)}</strong>.
      </p>
      <p className="govuk-visually-hidden" aria-live="polite">
        {warning ? `You will be signed out in ${formatRemaining(announced)}.` : ''}
      </p>
      <div className="govuk-button-group">
        <button type="button" className="govuk-button" onClick={stayKeepAlive}>
          Stay signed in
        </button>
        <form method="post" action="/logout">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Sign out
          </button>
        </form>
      </div>
    </dialog>
  )
}
