import type { ActionFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { getUser } from '~/utils/auth.server'

/** "Stay signed in": reading the session marks it as seen, which restarts the idle clock. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getUser(request, context)
  return json({ ok: user !== undefined }, { status: user ? 200 : 401 })
}
