export type Problem = { row: number; column: string | null; message: string }

const SHOWN = 200

/** Every problem in a refused file, by row and column, as a spreadsheet user would look for them. */
export function ImportProblems({ problems }: { problems: Problem[] }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">
        {problems.length} {problems.length === 1 ? 'problem' : 'problems'} in the file
        {problems.length > SHOWN ? ` (the first ${SHOWN} are shown)` : ''}
      </caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Row
          </th>
          <th scope="col" className="govuk-table__header">
            Column
          </th>
          <th scope="col" className="govuk-table__header">
            Problem
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {problems.slice(0, SHOWN).map((problem, index) => (
          <tr key={index} className="govuk-table__row">
            <td className="govuk-table__cell govuk-table__cell--numeric">{problem.row}</td>
            <td className="govuk-table__cell">{problem.column ?? ''}</td>
            <td className="govuk-table__cell">{problem.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
