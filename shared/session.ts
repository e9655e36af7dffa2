/** The session cookie carries a random token; its sha256 is the session's key in the database. */
export const SESSION_COOKIE = 'cfa_session'
