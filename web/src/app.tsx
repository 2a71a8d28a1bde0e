import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api';
import { beginSignIn, completeSignIn, hasRole, type Session } from './auth';
import type { Config } from './config';
import { Ctx, type AppContext } from './context';
import type { Locale } from './format';
import { translator } from './i18n';
import { BookingPage, BookingsPage, ResourcePage, ResourcesPage } from './pages/bookings';
import { BudgetPage, BudgetsPage } from './pages/budgets';
import { ConsultationPage, ConsultationsPage } from './pages/consultations';
import { DeskPage } from './pages/desk';
import { HomePage, NotFoundPage } from './pages/home';
import { MapPage } from './pages/map';
import { MyHomePage } from './pages/myhome';
import { AccountPage } from './pages/account';
import { MyReportsPage, ReportPage } from './pages/reports';
import { CataloguePage, ServicePage } from './pages/services';
import { parseRoute, type Route } from './router';

const LOCALE_KEY = 'territoire.locale';

function initialLocale(config: Config): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  return saved === 'en' || saved === 'fr' ? saved : config.defaultLocale;
}

export function App({ config }: { config: Config }) {
  const [locale, setLocale] = useState<Locale>(() => initialLocale(config));
  // The ID token lives here, in memory, and nowhere else.
  const [session, setSession] = useState<Session | null>(null);
  const [signInError, setSignInError] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [ready, setReady] = useState(false);
  const t = useMemo(() => translator(locale), [locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    const url = new URL(location.href);
    completeSignIn(config, url)
      .then((done) => {
        if (done) {
          setSession(done.session);
          history.replaceState(null, '', `${url.pathname}${done.returnTo}`);
          setRoute(parseRoute(done.returnTo));
        }
      })
      .catch((e) => {
        console.error(e);
        history.replaceState(null, '', url.pathname + url.hash);
        setSignInError(true);
      })
      .finally(() => setReady(true));
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!session) return;
    // An expired token is dropped rather than sent; the next action asks to sign in again.
    const timer = setTimeout(() => setSession(null), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  const api = useMemo(() => new Api(config.apiUrl, () => session?.idToken), [config, session]);
  const ctx: AppContext = {
    config,
    locale,
    t,
    session,
    api,
    signIn: () => void beginSignIn(config, location.hash || '#/'),
  };

  const nav: [string, string, Route['name'][]][] = [
    ['#/', t('nav.home'), ['home']],
    ['#/services', t('nav.services'), ['services', 'service']],
    ['#/map', t('nav.map'), ['map']],
    ['#/report', t('nav.report'), ['report', 'myReports']],
    ['#/resources', t('nav.resources'), ['resources', 'resource']],
    ['#/bookings', t('nav.bookings'), ['bookings', 'booking']],
    ['#/consultations', t('nav.consultations'), ['consultations', 'consultation']],
    ['#/budgets', t('nav.budgets'), ['budgets', 'budget']],
  ];
  // Pages for a role appear once the token carries it; the API refuses the others anyway.
  if (hasRole(session, 'resident')) nav.push(['#/me', t('nav.myHome'), ['myHome']]);
  if (session) nav.push(['#/account', t('nav.account'), ['account']]);
  if (hasRole(session, 'provider', 'agent', 'admin')) nav.push(['#/desk', t('nav.desk'), ['desk']]);

  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      <header class="top">
        <div class="bar">
          <a class="brand" href="#/">
            {config.territory.name}
          </a>
          <div class="account">
            <button
              type="button"
              class="link"
              lang={locale === 'fr' ? 'en' : 'fr'}
              aria-label={t('app.languageLabel')}
              onClick={() => {
                const next = locale === 'fr' ? 'en' : 'fr';
                localStorage.setItem(LOCALE_KEY, next);
                setLocale(next);
              }}
            >
              {t('app.language')}
            </button>
            {session ? (
              <>
                <span class="who">{t('auth.signedInAs', { sub: session.sub })}</span>
                <button type="button" class="button small" onClick={() => setSession(null)}>
                  {t('auth.signOut')}
                </button>
              </>
            ) : (
              <button type="button" class="button small" onClick={ctx.signIn}>
                {t('auth.signIn')}
              </button>
            )}
          </div>
        </div>
        <nav aria-label={t('app.nav')}>
          <ul>
            {nav.map(([link, label, names]) => (
              <li key={link}>
                <a href={link} aria-current={names.includes(route.name) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {deleted && (
          <p class="notice success" role="status">
            {t('account.deleted')}
          </p>
        )}
        {signInError && (
          <p class="notice error" role="alert">
            {t('auth.failed')}
          </p>
        )}
        {ready ? <Page route={route} onDeleted={() => { setSession(null); location.hash = '#/'; setDeleted(true); }} /> : <p role="status">{t('app.loading')}</p>}
      </main>
      {config.auth.local && (
        <footer>
          <p class="muted">{t('auth.localNote')}</p>
        </footer>
      )}
    </Ctx.Provider>
  );
}

function Page({ route, onDeleted }: { route: Route; onDeleted: () => void }) {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'services':
      return <CataloguePage kind={route.kind} category={route.category} />;
    case 'service':
      return <ServicePage id={route.id} />;
    case 'map':
      return <MapPage />;
    case 'report':
      return <ReportPage />;
    case 'myReports':
      return <MyReportsPage />;
    case 'resources':
      return <ResourcesPage kind={route.kind} />;
    case 'resource':
      return <ResourcePage id={route.id} />;
    case 'bookings':
      return <BookingsPage />;
    case 'booking':
      return <BookingPage id={route.id} />;
    case 'consultations':
      return <ConsultationsPage />;
    case 'consultation':
      return <ConsultationPage id={route.id} />;
    case 'budgets':
      return <BudgetsPage />;
    case 'budget':
      return <BudgetPage id={route.id} />;
    case 'desk':
      return <DeskPage />;
    case 'myHome':
      return <MyHomePage />;
    case 'account':
      return <AccountPage onDeleted={onDeleted} />;
    default:
      return <NotFoundPage />;
  }
}
