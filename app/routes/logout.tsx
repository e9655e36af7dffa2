import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { signOut } from '~/utils/auth.server'

export function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A bare POST (no form body) signs out too.
  const form = await request.formData().catch(() => new FormData())
  const to = form.get('reason') === 'idle' ? '/login?reason=idle' : '/login'
  return signOut(request, context, to)
}
