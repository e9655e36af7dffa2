import { livedExperienceTemplate } from './lived-experience'
import { managementOversightTemplate } from './management-oversight'
import { multiAgencyTemplate } from './multi-agency'
import { strengthBasedTemplate } from './strength-based'
import { supervisionTemplate } from './supervision'
import { type Template, type TemplateCode, TemplateSchema } from './schema'

/**
 * Parsed when the module loads, so that a template the schema rejects stops the build and the
 * server start rather than reaching a council.
 */
export const BUILT_IN_TEMPLATES: readonly Template[] = [
  livedExperienceTemplate,
  managementOversightTemplate,
  strengthBasedTemplate,
  supervisionTemplate,
  multiAgencyTemplate,
].map((template) => TemplateSchema.parse(template))

export function getBuiltInTemplate(code: TemplateCode): Template {
  const template = BUILT_IN_TEMPLATES.find((t) => t.code === code)
  // NOTE: unreachable while there is a built-in template for every code; the unit tests check that.
  if (!template) throw new Error(`No built-in template "${code}"`)
  return template
}
