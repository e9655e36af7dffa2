import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  actionFormSchema,
  actionState,
  addDays,
  ageingBand,
  ageingByTeam,
  CompleteActionSchema,
  daysBetween,
  isIsoDate,
  monthlyDigest,
} from './actions'

const TODAY = '2027-03-15'

describe('actionState', () => {
  it('is open up to and including the due date, overdue the day after', () => {
    expect(actionState({ status: 'open', dueDate: '2027-03-16' }, TODAY)).toBe('open')
    expect(actionState({ status: 'open', dueDate: TODAY }, TODAY)).toBe('open')
    expect(actionState({ status: 'open', dueDate: '2027-03-14' }, TODAY)).toBe('overdue')
  })

  it('is done once done, however late', () => {
    expect(actionState({ status: 'done', dueDate: '2026-01-01' }, TODAY)).toBe('done')
  })
})

describe('ageing bands', () => {
  it.each([
    [0, 'not-due'],
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, 'over-60'],
  ] as const)('%i days overdue is %s', (days, band) => {
    expect(ageingBand(addDays(TODAY, -days), TODAY)).toBe(band)
  })

  it('puts actions not yet due in the first band', () => {
    expect(ageingBand(addDays(TODAY, 40), TODAY)).toBe('not-due')
  })
})

describe('ageingByTeam', () => {
  it('counts open actions by team and band, teams in name order, and leaves done ones out', () => {
    const rows = ageingByTeam(
      [
        { team: 'North', dueDate: addDays(TODAY, 5), status: 'open' },
        { team: 'North', dueDate: addDays(TODAY, -1), status: 'open' },
        { team: 'North', dueDate: addDays(TODAY, -90), status: 'done' },
        { team: 'East', dueDate: addDays(TODAY, -45), status: 'open' },
        { team: 'East', dueDate: addDays(TODAY, -61), status: 'open' },
        { team: 'Done only', dueDate: addDays(TODAY, -61), status: 'done' },
      ],
      TODAY,
    )
    expect(rows).toEqual([
      { team: 'East', counts: { 'not-due': 0, '1-30': 0, '31-60': 1, 'over-60': 1 }, total: 2 },
      { team: 'North', counts: { 'not-due': 1, '1-30': 1, '31-60': 0, 'over-60': 0 }, total: 2 },
    ])
  })

  it('is empty with no open actions', () => {
    expect(ageingByTeam([], TODAY)).toEqual([])
  })
})

describe('monthlyDigest', () => {
  const actions = [
    { id: 'overdue', status: 'open', dueDate: '2027-02-28', completedAt: null },
    { id: 'due-today', status: 'open', dueDate: TODAY, completedAt: null },
    { id: 'due-month-end', status: 'open', dueDate: '2027-03-31', completedAt: null },
    { id: 'due-next-month', status: 'open', dueDate: '2027-04-01', completedAt: null },
    {
      id: 'done-this-month',
      status: 'done',
      dueDate: '2027-01-10',
      completedAt: '2027-03-01T09:00:00.000Z',
    },
    {
      id: 'done-last-month',
      status: 'done',
      dueDate: '2027-03-20',
      completedAt: '2027-02-27T09:00:00.000Z',
    },
  ]

  it('sorts a person’s actions into overdue, due this month and done this month', () => {
    const digest = monthlyDigest(actions, TODAY)
    expect(digest.month).toBe('2027-03')
    expect(digest.overdue.map((a) => a.id)).toEqual(['overdue'])
    expect(digest.dueThisMonth.map((a) => a.id)).toEqual(['due-today', 'due-month-end'])
    expect(digest.doneThisMonth.map((a) => a.id)).toEqual(['done-this-month'])
  })

  it('counts an action overdue from an earlier month only as overdue', () => {
    const digest = monthlyDigest(actions, '2027-04-01')
    expect(digest.overdue.map((a) => a.id)).toEqual(['overdue', 'due-today', 'due-month-end'])
    expect(digest.dueThisMonth.map((a) => a.id)).toEqual(['due-next-month'])
    expect(digest.doneThisMonth).toEqual([])
  })
})

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2027-02-28')).toBe(true)
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2027-02-29')).toBe(false)
    expect(isIsoDate('2027-02-30')).toBe(false)
    expect(isIsoDate('2027-13-01')).toBe(false)
    expect(isIsoDate('2027-1-01')).toBe(false)
    expect(isIsoDate('31/01/2027')).toBe(false)
    expect(isIsoDate('')).toBe(false)
  })

  it('adds and counts days across month and year ends', () => {
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01')
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28')
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1)
    expect(daysBetween('2027-03-01', '2027-02-28')).toBe(-1)
  })
})

describe('actionFormSchema', () => {
  const schema = actionFormSchema(TODAY)
  const valid = {
    description: 'Update the chronology',
    ownerId: '7b0c1c4e-8f4a-4d5e-9a3b-1c2d3e4f5a6b',
    dueDate: '2027-04-30',
  }
  it('names only the first thing wrong with a due date', () => {
    const messages = (dueDate: string) =>
      schema.safeParse({ ...valid, dueDate }).error?.issues.map((i) => i.message)
    expect(messages('')).toEqual(['Enter the due date'])
    expect(messages('2027-02-30')).toEqual([
      'Enter the due date as YYYY-MM-DD, for example 2027-01-31',
    ])
  })

  function errors(input: Record<string, unknown>) {
    const result = schema.safeParse(input)
    return result.success ? {} : z.flattenError(result.error).fieldErrors
  }

  it('accepts an action due today', () => {
    expect(schema.safeParse({ ...valid, dueDate: TODAY }).success).toBe(true)
  })

  it('says what is missing', () => {
    expect(errors({})).toEqual({
      description: ['Enter what will be done'],
      ownerId: ['Choose who owns the action'],
      dueDate: ['Enter the due date'],
    })
    // Blank fields: the page shows each field's first message.
    const blank = errors({ description: '   ', ownerId: '', dueDate: '' })
    expect(blank.description?.[0]).toBe('Enter what will be done')
    expect(blank.ownerId?.[0]).toBe('Choose who owns the action')
    expect(blank.dueDate?.[0]).toBe('Enter the due date')
  })

  it('refuses a date that is not real, in the past, or more than two years away', () => {
    expect(errors({ ...valid, dueDate: '2027-02-30' }).dueDate?.[0]).toBe(
      'Enter the due date as YYYY-MM-DD, for example 2027-01-31',
    )
    expect(errors({ ...valid, dueDate: '30/04/2027' }).dueDate?.[0]).toBe(
      'Enter the due date as YYYY-MM-DD, for example 2027-01-31',
    )
    expect(errors({ ...valid, dueDate: '2027-03-14' }).dueDate).toEqual([
      'The due date must be today or later',
    ])
    expect(errors({ ...valid, dueDate: addDays(TODAY, 730) })).toEqual({})
    expect(errors({ ...valid, dueDate: addDays(TODAY, 731) }).dueDate).toEqual([
      'The due date must be within two years',
    ])
  })

  it('limits the description to 500 characters', () => {
    expect(errors({ ...valid, description: 'x'.repeat(500) })).toEqual({})
    expect(errors({ ...valid, description: 'x'.repeat(501) }).description).toEqual([
      'The action must be 500 characters or fewer',
    ])
  })
})

describe('CompleteActionSchema', () => {
  it('requires what changed', () => {
    const result = CompleteActionSchema.safeParse({
      actionId: '7b0c1c4e-8f4a-4d5e-9a3b-1c2d3e4f5a6b',
      note: '  ',
    })
    expect(result.success ? {} : z.flattenError(result.error).fieldErrors).toEqual({
      note: ['Enter what changed, the evidence that the action happened'],
    })
  })
})
