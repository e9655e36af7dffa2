import pino from 'pino'

export type Logger = pino.Logger

/** JSON lines to stdout. Nothing personal is ever logged: no emails, names, case references or bodies. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'case-file-audit' } })
}
