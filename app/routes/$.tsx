import { GeneralErrorBoundary } from '~/components/error-boundary'

/** Every URL no other route claims: a real 404, through the same error page as every route. */
export function loader() {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return <GeneralErrorBoundary />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
