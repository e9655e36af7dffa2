import type {
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
  SerializeFrom,
} from '@remix-run/node'
import { json } from '@remix-run/node'
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect, type ReactNode } from 'react'
import { getCouncil } from './utils/db.server'
import { can, type Permission } from '../shared/permissions'
import { GeneralErrorBoundary } from './components/error-boundary'
import { IdleWarning } from './components/idle-warning'
import { getUser } from './utils/auth.server'
import { useNonce } from './utils/nonce'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: '/styles/app.css' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context)
  const council = user ? await getCouncil(context.db, user.councilId) : undefined
  return json({
    user: user
      ? {
          name: user.name,
          roles: user.roles,
          navigation: NAVIGATION.filter(
            (item) => !item.permission || can(user, item.permission),
          ).map(({ href, text }) => ({ href, text })),
        }
      : null,
    council: council ? { name: council.name, serviceName: council.serviceName } : null,
    idle: {
      timeoutSeconds: context.settings.idleTimeoutSeconds,
      warningSeconds: context.settings.idleWarningSeconds,
    },
  })
}

/** The service navigation: each item shows only to those whose permissions open its page. */
const NAVIGATION: { href: string; text: string; permission?: Permission }[] = [
  { href: '/', text: 'Home' },
  { href: '/kpis', text: 'KPIs', permission: 'read:kpi:any' },
  { href: '/themes', text: 'Themes', permission: 'read:theme:any' },
  { href: '/actions', text: 'Actions', permission: 'read:action:any' },
  { href: '/programme', text: 'Programme', permission: 'plan:programme:any' },
  { href: '/moderation', text: 'Moderation', permission: 'moderate:audit:any' },
  { href: '/moderation/disputes', text: 'Disputes', permission: 'resolve:dispute:any' },
  { href: '/calibration', text: 'Calibration', permission: 'read:calibration:any' },
  { href: '/cases', text: 'Case files', permission: 'manage:case:any' },
  { href: '/imports', text: 'Import', permission: 'import:audit:any' },
  { href: '/templates', text: 'Templates', permission: 'read:template:any' },
  { href: '/admin/users', text: 'Users', permission: 'manage:user:any' },
  { href: '/access', text: 'Access trail', permission: 'read:access:any' },
]

export const meta: MetaFunction = () => [{ title: 'Case file audit' }]

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  // GOV.UK styles some components differently once JavaScript is known to run.
  useEffect(() => document.body.classList.add('govuk-frontend-supported'), [])
  return (
    <html lang="en-GB" className="govuk-template govuk-template--rebranded">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b0c0c" />
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

type RootData = SerializeFrom<typeof loader>

function Header({ data }: { data: RootData | undefined }) {
  const location = useLocation()
  const serviceName = data?.council?.serviceName ?? 'Case file audit'
  const items = data?.user?.navigation ?? []
  return (
    <header>
      <div className="govuk-generic-header app-header">
        <div className="govuk-generic-header__container govuk-width-container">
          <div className="govuk-generic-header__logo">
            <Link to="/" className="govuk-generic-header__homepage-link">
              {data?.council?.name ?? 'Children’s services'}
            </Link>
          </div>
        </div>
      </div>
      <section aria-label="Service information" className="govuk-service-navigation">
        <div className="govuk-width-container">
          <div className="govuk-service-navigation__container">
            <span className="govuk-service-navigation__service-name">
              <Link to="/" className="govuk-service-navigation__link">
                {serviceName}
              </Link>
            </span>
            {data?.user ? (
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {items.map((item) => {
                    const current =
                      item.href === '/'
                        ? location.pathname === '/'
                        : location.pathname.startsWith(item.href)
                    return (
                      <li
                        key={item.href}
                        className={`govuk-service-navigation__item${current ? ' govuk-service-navigation__item--active' : ''}`}
                      >
                        <Link
                          className="govuk-service-navigation__link"
                          to={item.href}
                          aria-current={current ? 'page' : undefined}
                        >
                          {current ? (
                            <strong className="govuk-service-navigation__active-fallback">
                              {item.text}
                            </strong>
                          ) : (
                            item.text
                          )}
                        </Link>
                      </li>
                    )
                  })}
                  <li
                    className={`govuk-service-navigation__item${location.pathname === '/account' ? ' govuk-service-navigation__item--active' : ''}`}
                  >
                    <Link
                      className="govuk-service-navigation__link"
                      to="/account"
                      aria-current={location.pathname === '/account' ? 'page' : undefined}
                    >
                      <span className="govuk-visually-hidden">Your account: </span>
                      {data.user.name}
                    </Link>
                  </li>
                  <li className="govuk-service-navigation__item">
                    <Form method="post" action="/logout" className="app-inline-form">
                      <button
                        type="submit"
                        className="app-link-button govuk-service-navigation__link"
                      >
                        Sign out
                      </button>
                    </Form>
                  </li>
                </ul>
              </nav>
            ) : null}
          </div>
        </div>
      </section>
    </header>
  )
}

function Page({ data, children }: { data: RootData | undefined; children: ReactNode }) {
  return (
    <>
      <Header data={data} />
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content">
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <p className="govuk-body-s">
            Records about children are special-category personal data: use what you see here only
            for your work with them.
          </p>
        </div>
      </footer>
      {data?.user ? (
        <IdleWarning
          timeoutSeconds={data.idle.timeoutSeconds}
          warningSeconds={data.idle.warningSeconds}
        />
      ) : null}
    </>
  )
}

export default function App() {
  const data = useLoaderData<typeof loader>()
  return (
    <Document>
      <Page data={data}>
        <Outlet />
      </Page>
    </Document>
  )
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>('root')
  return (
    <Document>
      <Page data={data}>
        <GeneralErrorBoundary />
      </Page>
    </Document>
  )
}
