import type { ReactNode } from 'react'

export type TableColumn<Row> = {
  header: string
  cell: (row: Row) => ReactNode
  /** Figures: right-aligned, in tabular numbers, so they line up down the column. */
  numeric?: boolean
}

/**
 * A heading over several columns (a `colgroup`), for tables whose columns come in sets; groups
 * cover every column in order, and a group with an empty header has no heading.
 */
export type TableColumnGroup = { header: string; span: number }

/**
 * A GOV.UK table: its caption, a head, and one row per item whose first cell names the row (a
 * row header). Wide tables scroll sideways inside a labelled, focusable region rather than
 * breaking the page's layout on a small screen.
 */
export function Table<Row>(props: {
  caption: string
  captionSize?: 's' | 'm' | 'l'
  columns: readonly TableColumn<Row>[]
  columnGroups?: readonly TableColumnGroup[]
  rows: readonly Row[]
  rowKey: (row: Row) => string
  /** Many columns: smaller text, and sideways scrolling when the screen is narrow. */
  wide?: boolean
}) {
  const { columns, columnGroups } = props
  const numericClass = (column: TableColumn<Row>, kind: 'header' | 'cell') =>
    column.numeric ? ` govuk-table__${kind}--numeric` : ''
  const table = (
    <table className={`govuk-table${props.wide ? ' govuk-!-font-size-16' : ''}`}>
      <caption className={`govuk-table__caption govuk-table__caption--${props.captionSize ?? 'm'}`}>
        {props.caption}
      </caption>
      {columnGroups?.map((group, index) => (
        <colgroup key={index} span={group.span} />
      ))}
      <thead className="govuk-table__head">
        {columnGroups ? (
          <tr className="govuk-table__row">
            {columnGroups.map((group, index) =>
              group.header === '' ? (
                <td key={index} colSpan={group.span} className="govuk-table__header" />
              ) : (
                <th
                  key={index}
                  scope="colgroup"
                  colSpan={group.span}
                  className="govuk-table__header govuk-table__header--numeric"
                >
                  {group.header}
                </th>
              ),
            )}
          </tr>
        ) : null}
        <tr className="govuk-table__row">
          {columns.map((column, index) => (
            <th
              key={index}
              scope="col"
              className={`govuk-table__header${numericClass(column, 'header')}`}
            >
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} className="govuk-table__row">
            {columns.map((column, index) =>
              index === 0 ? (
                <th
                  key={index}
                  scope="row"
                  className={`govuk-table__header${numericClass(column, 'header')}`}
                >
                  {column.cell(row)}
                </th>
              ) : (
                <td key={index} className={`govuk-table__cell${numericClass(column, 'cell')}`}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
  if (!props.wide) return table
  return (
    <div className="app-table-scroll" role="region" aria-label={props.caption} tabIndex={0}>
      {table}
    </div>
  )
}
