import { useId } from 'react'

/**
 * How each series is drawn. Colour is never the only cue: every series but the first carries a
 * white pattern, the legend names each one, and a white gap separates neighbouring segments so
 * each colour meets white (at least 3:1, WCAG 1.4.11) rather than another colour.
 */
export const BAR_STYLES = {
  solid: { colour: '#00703c', pattern: null },
  stripes: { colour: '#d4351c', pattern: 'stripes' },
  dots: { colour: '#1d70b8', pattern: 'dots' },
  lines: { colour: '#505a5f', pattern: 'lines' },
} as const
export type BarStyle = keyof typeof BAR_STYLES

export type BarSeries = { label: string; style: BarStyle }
export type BarRow = { label: string; values: readonly number[]; summary: string }

// At this width the chart's 16-unit text shows at about the page's 19px in a two-thirds column.
const WIDTH = 520
const LEGEND_LINE = 28
const ROW_HEIGHT = 84
const BAR_TOP = 24
const BAR_HEIGHT = 26
const MIN_SEGMENT = 4
// Wide enough for Arial at 16px; the legend only needs to not overlap.
const CHAR_WIDTH = 8.5
const SWATCH = { width: 28, height: 16, gap: 8, after: 24 }
const TEXT = '#0b0c0c'

/** The legend's entries left to right, wrapping to a new line when one would not fit. */
function legendPlaces(labels: readonly string[]): { x: number; line: number }[] {
  const places: { x: number; line: number }[] = []
  let x = 0
  let line = 0
  for (const label of labels) {
    const width = SWATCH.width + SWATCH.gap + label.length * CHAR_WIDTH
    if (x > 0 && x + width > WIDTH) {
      x = 0
      line += 1
    }
    places.push({ x, line })
    x += width + SWATCH.after
  }
  return places
}

/** Where each width starts when they are laid end to end from 0. */
function offsets(widths: readonly number[]): number[] {
  return widths.map((_, i) => widths.slice(0, i).reduce((sum, w) => sum + w, 0))
}

/** Each value's share of the bar's width; a value above 0 is never too thin to see. */
function segments(values: readonly number[]): { x: number; width: number }[] {
  const total = values.reduce((sum, v) => sum + v, 0)
  const widths = values.map((v) =>
    v > 0 && total > 0 ? Math.max(MIN_SEGMENT, (v / total) * WIDTH) : 0,
  )
  const excess = widths.reduce((sum, w) => sum + w, 0) - WIDTH
  const widest = widths.indexOf(Math.max(...widths))
  if (total > 0) widths[widest] = (widths[widest] ?? 0) - excess
  const starts = offsets(widths)
  return widths.map((width, i) => ({ x: starts[i] ?? 0, width }))
}

function Pattern({ id, style }: { id: string; style: BarStyle }) {
  const { colour, pattern } = BAR_STYLES[style]
  if (pattern === null) return null
  return (
    <pattern
      id={id}
      width="8"
      height="8"
      patternUnits="userSpaceOnUse"
      patternTransform={pattern === 'stripes' ? 'rotate(45)' : undefined}
    >
      <rect width="8" height="8" fill={colour} />
      {pattern === 'stripes' ? <rect width="2.5" height="8" fill="#ffffff" /> : null}
      {pattern === 'dots' ? <circle cx="4" cy="4" r="1.6" fill="#ffffff" /> : null}
      {pattern === 'lines' ? <rect x="3" width="2" height="8" fill="#ffffff" /> : null}
    </pattern>
  )
}

/**
 * A horizontal stacked bar per row, each bar the whole of its row's values, with a legend and a
 * line of text under each bar. Screen readers get the title and a description that says what the
 * bars show; the page puts the same figures in a table beside it.
 */
export function StackedBarChart(props: {
  title: string
  series: readonly BarSeries[]
  rows: readonly BarRow[]
}) {
  const id = useId().replaceAll(':', '')
  const fillOf = (style: BarStyle) =>
    BAR_STYLES[style].pattern === null ? BAR_STYLES[style].colour : `url(#${id}-${style})`
  const places = legendPlaces(props.series.map((series) => series.label))
  const legend = props.series.map((series, i) => ({
    ...series,
    x: places[i]?.x ?? 0,
    y: (places[i]?.line ?? 0) * LEGEND_LINE,
  }))
  const legendHeight = ((places.at(-1)?.line ?? 0) + 1) * LEGEND_LINE + 16
  const height = legendHeight + props.rows.length * ROW_HEIGHT
  const description = props.rows
    .map(
      (row) =>
        `${row.label}: ${props.series.map((s, i) => `${row.values[i] ?? 0} ${s.label.toLowerCase()}`).join(', ')}.`,
    )
    .join(' ')
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      // govuk-body brings the service's font to the text; each text sets its own size.
      className="govuk-body govuk-!-margin-bottom-4"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <defs>
        {props.series.map((series) => (
          <Pattern key={series.style} id={`${id}-${series.style}`} style={series.style} />
        ))}
      </defs>
      {legend.map((series) => (
        <g key={series.label}>
          <rect
            x={series.x + 0.5}
            y={series.y + 4.5}
            width={SWATCH.width}
            height={SWATCH.height}
            fill={fillOf(series.style)}
            stroke={TEXT}
          />
          <text
            x={series.x + SWATCH.width + SWATCH.gap}
            y={series.y + 18}
            fontSize="16"
            fill={TEXT}
          >
            {series.label}
          </text>
        </g>
      ))}
      {props.rows.map((row, r) => {
        const top = legendHeight + r * ROW_HEIGHT
        return (
          <g key={row.label}>
            <text x={0} y={top + 16} fontSize="16" fontWeight="700" fill={TEXT}>
              {row.label}
            </text>
            {segments(row.values).map(({ x, width }, i) => {
              const series = props.series[i]
              if (width === 0 || !series) return null
              return (
                <rect
                  key={series.label}
                  x={x}
                  y={top + BAR_TOP}
                  width={width}
                  height={BAR_HEIGHT}
                  fill={fillOf(series.style)}
                  stroke="#ffffff"
                  strokeWidth="2"
                />
              )
            })}
            <text x={0} y={top + BAR_TOP + BAR_HEIGHT + 20} fontSize="16" fill={TEXT}>
              {row.summary}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
