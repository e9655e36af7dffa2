// Route modules reach the database only through `.server` modules, which the compiler keeps out of
// the browser bundle; these re-exports are that door.
export * from '../../db/queries/organisation'
export * from '../../db/queries/users'
export * from '../../db/queries/audits'
export * from '../../db/queries/case-files'
export * from '../../db/queries/templates'
export * from '../../db/queries/moderation'
export * from '../../db/queries/calibration'
export * from '../../db/queries/kpis'
export * from '../../db/queries/learning'
export * from '../../db/queries/actions'
export * from '../../db/queries/access'
export * from '../../db/queries/sign-in'
