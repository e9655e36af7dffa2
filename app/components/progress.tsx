/** Completion as a native progress bar (announced by screen readers) with the percentage beside it. */
export function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const percent = total === 0 ? 0 : Math.round((done / total) * 100)
  return (
    <>
      <progress className="app-progress" max={total || 1} value={done} aria-label={label} />
      <span className="govuk-body-s">{percent}%</span>
    </>
  )
}
