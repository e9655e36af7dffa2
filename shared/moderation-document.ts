import * as Y from 'yjs'
import {
  CommentSchema,
  DECISIONS_MAP,
  DISCUSSION_PART,
  GENERAL_THREAD,
  moderatedQuestions,
  THREADS_MAP,
  type Comment,
} from './moderation'
import type { Template } from './templates/schema'

export function moderationDocumentName(auditId: string, part?: typeof DISCUSSION_PART): string {
  return part ? `moderation.${auditId}.${part}` : `moderation.${auditId}`
}

/**
 * The empty moderation documents, made once by the server: the decisions document needs nothing
 * in place (plain values in one map); the discussion has an array per question ready, so that two
 * people's first comments on a question never create two competing threads.
 */
export function buildModerationSkeleton(template: Template, part: string): Y.Doc {
  const doc = new Y.Doc()
  if (part !== DISCUSSION_PART) return doc
  const threads = doc.getMap(THREADS_MAP)
  doc.transact(() => {
    for (const question of moderatedQuestions(template)) threads.set(question.key, new Y.Array())
    threads.set(GENERAL_THREAD, new Y.Array())
  })
  return doc
}

export function readDecisions(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap(DECISIONS_MAP).toJSON()
}

/** Every thread's comments that are well formed, oldest first. */
export function readThreads(doc: Y.Doc): Record<string, Comment[]> {
  const threads: Record<string, Comment[]> = {}
  doc.getMap(THREADS_MAP).forEach((value, key) => {
    if (!(value instanceof Y.Array)) return
    threads[key] = value.toArray().flatMap((item) => {
      const comment = CommentSchema.safeParse(item)
      return comment.success ? [comment.data] : []
    })
  })
  return threads
}

/**
 * Whether an update to the discussion may come from this user: it only adds comments (plain
 * values, nothing nested, nothing deleted), each signed with the sender's own id. The server applies
 * this to every update from someone who is not the moderator, so nobody can speak for another.
 */
export function isOwnCommentsOnly(update: Uint8Array, userId: string): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  if (ds.clients.size > 0) return false
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) return false
    // A new element of an existing thread: not a map entry, not a new root type, plain content.
    if (struct.parentSub !== null || typeof struct.parent === 'string') return false
    if (!(struct.content instanceof Y.ContentAny)) return false
    for (const value of struct.content.getContent()) {
      const comment = CommentSchema.safeParse(value)
      if (!comment.success || comment.data.userId !== userId) return false
    }
  }
  return true
}
