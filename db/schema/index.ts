export * from './councils'
export * from './users'
