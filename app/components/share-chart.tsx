import { formatPercent } from '../../shared/kpis'

// Colour is never the only cue: each line has its own dashes and marker, and the legend names it.
const LINE_STYLES = [
  { colour: '#1d70b8', dashes: undefined, marker: 'circle' },
  { colour: '#d4351c', dashes: '6 3', marker: 'square' },
  { colour: '#00703c', dashes: '2 3', marker: 'triangle' },
  { colour: '#505a5f', dashes: '10 3 2 3', marker: 'diamond' },
] as const

const WIDTH = 360
const HEIGHT = 160
const PAD = { left: 36, right: 8, top: 8, bottom: 20 }

function Marker(props: { x: number; y: number; style: (typeof LINE_STYLES)[number] }) {
  const { x, y, style } = props
  if (style.marker === 'circle') return <circle cx={x} cy={y} r={3} fill={style.colour} />
  if (style.marker === 'square')
    return <rect x={x - 3} y={y - 3} width={6} height={6} fill={style.colour} />
  if (style.marker === 'triangle')
    return (
      <polygon points={`${x},${y - 4} ${x + 4},${y + 3} ${x - 4},${y + 3}`} fill={style.colour} />
    )
  return (
    <polygon
      points={`${x},${y - 4} ${x + 4},${y} ${x},${y + 4} ${x - 4},${y}`}
      fill={style.colour}
    />
  )
}

/**
 * A few themes' shares by month as lines on one chart, scaled to the largest share so that small
 * shares are not flattened against the axis. The same figures are in the table beside it; a month
 * without audits leaves a gap.
 */
export function ShareChart(props: {
  title: string
  labels: readonly string[]
  series: readonly { label: string; shares: readonly (number | null)[] }[]
}) {
  const shares = props.series.flatMap((s) => s.shares).filter((s): s is number => s !== null)
  const top = Math.max(10, Math.ceil(Math.max(0, ...shares) / 100) * 10)
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (i: number) =>
    PAD.left +
    (props.labels.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (props.labels.length - 1))
  const y = (tenths: number) => PAD.top + plotHeight - (tenths / 10 / top) * plotHeight
  const runsOf = (values: readonly (number | null)[]) => {
    const runs: { i: number; value: number }[][] = [[]]
    values.forEach((value, i) => {
      if (value === null) runs.push([])
      else runs.at(-1)?.push({ i, value })
    })
    return runs.filter((run) => run.length > 0)
  }
  const description = props.series
    .map((s) => {
      const latest = s.shares.findLastIndex((v) => v !== null)
      return latest < 0
        ? `${s.label}: no audits.`
        : `${s.label}: ${formatPercent(s.shares[latest] ?? null)} in ${props.labels[latest]}.`
    })
    .join(' ')
  return (
    <figure className="govuk-!-margin-0">
      <svg
        // govuk-body brings the service's font to the axis labels.
        className="app-trend-chart govuk-body govuk-!-margin-bottom-2"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`${props.title}. ${description}`}
      >
        {[0, top / 2, top].map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick * 10)}
              y2={y(tick * 10)}
              className="app-trend-chart__grid"
            />
            <text
              x={PAD.left - 4}
              y={y(tick * 10) + 4}
              textAnchor="end"
              className="app-trend-chart__axis"
            >
              {tick}%
            </text>
          </g>
        ))}
        {props.series.map((series, s) => {
          const style = LINE_STYLES[s % LINE_STYLES.length]!
          return (
            <g key={series.label}>
              {runsOf(series.shares).map((run) => (
                <polyline
                  key={run[0]?.i}
                  points={run.map((p) => `${x(p.i)},${y(p.value)}`).join(' ')}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth={2}
                  strokeDasharray={style.dashes}
                />
              ))}
              {runsOf(series.shares)
                .flat()
                .map((p) => (
                  <Marker key={p.i} x={x(p.i)} y={y(p.value)} style={style} />
                ))}
            </g>
          )
        })}
        {[0, props.labels.length - 1].map((i) => (
          <text
            key={i}
            x={x(i)}
            y={HEIGHT - 4}
            textAnchor={i === 0 ? 'start' : 'end'}
            className="app-trend-chart__axis"
          >
            {props.labels[i]}
          </text>
        ))}
      </svg>
      <figcaption>
        <ul className="govuk-list govuk-body-s">
          {props.series.map((series, s) => {
            const style = LINE_STYLES[s % LINE_STYLES.length]!
            return (
              <li key={series.label}>
                <svg width="36" height="12" aria-hidden="true" focusable="false">
                  <line
                    x1={2}
                    x2={34}
                    y1={6}
                    y2={6}
                    stroke={style.colour}
                    strokeWidth={2}
                    strokeDasharray={style.dashes}
                  />
                  <Marker x={18} y={6} style={style} />
                </svg>{' '}
                {series.label}
              </li>
            )
          })}
        </ul>
      </figcaption>
    </figure>
  )
}
