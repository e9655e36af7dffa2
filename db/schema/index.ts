export * from './councils'
export * from './users'
export * from './audits'
export * from './documents'
