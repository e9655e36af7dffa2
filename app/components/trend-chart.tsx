import { useId } from 'react'

export type TrendPoint = { label: string; percent: number | null }

const WIDTH = 320
const HEIGHT = 120
const PAD = { left: 32, right: 8, top: 8, bottom: 20 }

/**
 * A KPI's monthly trend as a small line chart against its target. The figures are always in a
 * table beside it (the chart is a picture of them, described for screen readers); a month with
 * nothing to count leaves a gap rather than pretending to be 0%.
 */
export function TrendChart(props: { title: string; target: number; points: TrendPoint[] }) {
  const id = useId()
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (i: number) =>
    PAD.left +
    (props.points.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (props.points.length - 1))
  const y = (percent: number) => PAD.top + plotHeight - (percent / 100) * plotHeight
  // Runs of months with a figure are drawn as separate lines.
  const runs: { i: number; percent: number }[][] = []
  let run: { i: number; percent: number }[] = []
  props.points.forEach((point, i) => {
    if (point.percent === null) {
      if (run.length > 0) runs.push(run)
      run = []
    } else run.push({ i, percent: point.percent })
  })
  if (run.length > 0) runs.push(run)
  const known = props.points.filter((p) => p.percent !== null)
  const last = known.at(-1)
  const description =
    known.length === 0
      ? 'Nothing to count in these months.'
      : `From ${props.points[0]?.label} to ${props.points.at(-1)?.label}: latest ${last?.percent?.toFixed(1)}% in ${last?.label}, against a target of ${props.target}%.`
  return (
    <svg
      className="app-trend-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {[0, 50, 100].map((tick) => (
        <g key={tick}>
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(tick)}
            y2={y(tick)}
            className="app-trend-chart__grid"
          />
          <text x={PAD.left - 4} y={y(tick) + 4} textAnchor="end" className="app-trend-chart__axis">
            {tick}%
          </text>
        </g>
      ))}
      <line
        x1={PAD.left}
        x2={WIDTH - PAD.right}
        y1={y(props.target)}
        y2={y(props.target)}
        className="app-trend-chart__target"
      />
      {runs.map((points, r) => (
        <polyline
          key={r}
          points={points.map((p) => `${x(p.i)},${y(p.percent)}`).join(' ')}
          className="app-trend-chart__line"
        />
      ))}
      {runs.flat().map((p) => (
        <circle key={p.i} cx={x(p.i)} cy={y(p.percent)} r={3} className="app-trend-chart__point" />
      ))}
      {[0, props.points.length - 1].map((i) =>
        props.points[i] ? (
          <text
            key={i}
            x={x(i)}
            y={HEIGHT - 4}
            textAnchor={i === 0 ? 'start' : 'end'}
            className="app-trend-chart__axis"
          >
            {props.points[i].label}
          </text>
        ) : null,
      )}
    </svg>
  )
}
