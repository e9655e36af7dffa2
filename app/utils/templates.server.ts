import type { Db } from '../../db/client'
import { publishNextTemplateVersion, TemplateVersionError } from '../../db/queries/templates'
import { TemplateSchema } from '../../shared/templates/schema'

export type PublishResult =
  | { ok: true; code: string; version: number }
  | { ok: false; problems: { path: string; message: string }[] }

/** `sections.2.questions.0.measure` → `sections[2].questions[0].measure`, as an author reads JSON. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('')
}

export async function publishTemplateFromJson(
  db: Db,
  params: { councilId: string; userId: string; text: string },
): Promise<PublishResult> {
  let data: unknown
  try {
    data = JSON.parse(params.text)
  } catch (error) {
    return {
      ok: false,
      problems: [{ path: '', message: `The file is not valid JSON: ${(error as Error).message}` }],
    }
  }
  const parsed = TemplateSchema.safeParse(data)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    }
  }
  try {
    await publishNextTemplateVersion(db, {
      councilId: params.councilId,
      template: parsed.data,
      publishedBy: params.userId,
    })
  } catch (error) {
    if (error instanceof TemplateVersionError)
      return { ok: false, problems: [{ path: 'version', message: error.message }] }
    throw error
  }
  return { ok: true, code: parsed.data.code, version: parsed.data.version }
}
