import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api } from './api';
import { beginSignIn, completeSignIn, hasRole, sameIdentity, SessionKeeper, signOut as signOutEverywhere, type Session } from './auth';
import type { Config } from './config';
import { Ctx, type AppContext } from './context';
import type { Locale } from './format';
import { translator } from './i18n';
import { BookingPage, BookingsPage, ResourcePage, ResourcesPage } from './pages/bookings';
import { BudgetPage, BudgetsPage } from './pages/budgets';
import { ConsultationPage, ConsultationsPage } from './pages/consultations';
import { DeskPage } from './pages/desk';
import { DeskToolPage } from './pages/desk-tools';
import { HomePage, NotFoundPage } from './pages/home';
import { MapPage } from './pages/map';
import { MyHomePage } from './pages/myhome';
import { AccountPage } from './pages/account';
import { MyReportsPage, ReportPage, ReportViewPage } from './pages/reports';
import { CataloguePage, ServicePage } from './pages/services';
import { parseRoute, type Route } from './router';
import { ErrorMessage } from './components';
import { clearApiCaches } from './pwa';
import { flush, IdbOutboxStore, requestSync, type FlushResult, type PendingWrite } from './outbox';
import type { Key } from './i18n';
import { formatDateTime } from './format';

const LOCALE_KEY = 'territoire.locale';

function initialLocale(config: Config): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  return saved === 'en' || saved === 'fr' ? saved : config.defaultLocale;
}

export function App({ config }: { config: Config }) {
  const [locale, setLocale] = useState<Locale>(() => initialLocale(config));
  // The tokens live in the keeper, in memory, and nowhere else. The page sees a new session only when the person or
  // their roles change (a refreshed token alone reloads nothing); the API client always reads the keeper's token.
  const [session, setSession] = useState<Session | null>(null);
  const keeper = useRef<SessionKeeper>();
  keeper.current ??= new SessionKeeper(config, (next) => setSession((prev) => (sameIdentity(prev, next) ? prev : next)));
  const [signInError, setSignInError] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [ready, setReady] = useState(false);
  // Offline: when the oldest answer the current page shows from the worker's cache was stored.
  const [staleAt, setStaleAt] = useState<string>();
  const [online, setOnline] = useState(() => navigator.onLine);
  const outbox = useMemo(() => new IdbOutboxStore(), []);
  const [pending, setPending] = useState<PendingWrite[]>([]);
  const [sent, setSent] = useState<PendingWrite[]>([]);
  const [refused, setRefused] = useState<FlushResult['refused']>([]);
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
          keeper.current!.start(done.session, done.refreshToken);
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

  const latestSend = useRef<() => Promise<void>>(async () => {});
  useEffect(() => {
    // Back online: send what waits (the latest closure, which has the current session and API client).
    const on = () => {
      setOnline(true);
      void latestSend.current();
    };
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, []);

  // A new page, or the network back: the banner says again only what the answers now shown say.
  useEffect(() => setStaleAt(undefined), [route, online]);
  useEffect(() => {
    setSent([]);
    setRefused([]);
  }, [route]);

  const api = useMemo(
    () =>
      new Api(
        config.apiUrl,
        () => keeper.current!.token(),
        undefined,
        (at) => setStaleAt((prev) => (prev && prev < at ? prev : at)),
        () => keeper.current!.refresh(),
      ),
    [config, session],
  );
  const showPending = async () => {
    try {
      setPending(session ? (await outbox.all()).filter((w) => w.sub === session.sub) : []);
    } catch (e) {
      console.error('outbox', e);
    }
  };
  const sendPending = async () => {
    if (!session) return setPending([]);
    try {
      const r = await flush(outbox, api, session.sub);
      if (r.sent.length) setSent((s) => [...s, ...r.sent]);
      if (r.refused.length) setRefused((s) => [...s, ...r.refused]);
    } catch (e) {
      console.error('outbox', e);
    }
    await showPending();
  };
  // At start and at each sign-in; the `online` listener above and the worker's Background Sync message send it too.
  useEffect(() => void sendPending(), [session]);
  latestSend.current = sendPending;
  useEffect(() => {
    const onMessage = (e: MessageEvent) => (e.data as { type?: string } | null)?.type === 'flush-outbox' && void latestSend.current();
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => navigator.serviceWorker?.removeEventListener('message', onMessage);
  }, []);

  // Signing out revokes the refresh token, deletes the API answers the worker kept for offline and ends the identity
  // provider's session (auth.ts signOut). An erased account ends here only, so that the page can say it was erased:
  // its managed login session names a user that no longer exists, who can no longer get a token.
  const signOut = () => void signOutEverywhere(config, keeper.current!, clearApiCaches);
  const endLocally = () => {
    void keeper.current!.signOut();
    void clearApiCaches();
  };
  const ctx: AppContext = {
    config,
    locale,
    t,
    session,
    api,
    signIn: () => void beginSignIn(config, location.hash || '#/'),
    queue: async (write) => {
      if (!session) throw new Error('no session');
      await outbox.put({ ...write, sub: session.sub, createdAt: new Date().toISOString() });
      await showPending();
      void requestSync();
      // The network may be back already (a lost answer rather than no connection): try at once.
      if (navigator.onLine) void sendPending();
    },
    renew: () => keeper.current!.refresh(),
  };

  const nav: [string, string, Route['name'][]][] = [
    ['#/', t('nav.home'), ['home']],
    ['#/services', t('nav.services'), ['services', 'service']],
    ['#/map', t('nav.map'), ['map']],
    ['#/report', t('nav.report'), ['report', 'myReports', 'reportView']],
    ['#/resources', t('nav.resources'), ['resources', 'resource']],
    ['#/bookings', t('nav.bookings'), ['bookings', 'booking']],
    ['#/consultations', t('nav.consultations'), ['consultations', 'consultation']],
    ['#/budgets', t('nav.budgets'), ['budgets', 'budget']],
  ];
  // Pages for a role appear once the token carries it; the API refuses the others anyway.
  if (hasRole(session, 'resident')) nav.push(['#/me', t('nav.myHome'), ['myHome']]);
  if (session) nav.push(['#/account', t('nav.account'), ['account']]);
  if (hasRole(session, 'provider', 'agent', 'admin')) nav.push(['#/desk', t('nav.desk'), ['desk', 'deskTool']]);

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
                <button type="button" class="button small" onClick={signOut}>
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
        {staleAt ? (
          <p class="notice offline" role="status">
            {t('offline.stale', { at: formatDateTime(staleAt, locale, config.timeZone) })}
          </p>
        ) : (
          !online && (
            <p class="notice offline" role="status">
              {t('offline.banner')}
            </p>
          )
        )}
        {pending.length > 0 && (
          <div class="notice offline" role="status">
            <p>{t('outbox.pending', { count: pending.length })}</p>
            <ul>
              {pending.map((w) => (
                <li key={w.key}>{t(`outbox.${w.kind}` as Key, { label: w.label })}</li>
              ))}
            </ul>
          </div>
        )}
        {sent.length > 0 && (
          <div class="notice success" role="status">
            <p>{t('outbox.sent', { count: sent.length })}</p>
            <ul>
              {sent.map((w) => (
                <li key={w.key}>{t(`outbox.${w.kind}` as Key, { label: w.label })}</li>
              ))}
            </ul>
          </div>
        )}
        {refused.map(({ write, error }) => (
          <div key={write.key} class="notice error" role="alert">
            <p>{t('outbox.refused', { what: t(`outbox.${write.kind}` as Key, { label: write.label }) })}</p>
            <ErrorMessage error={error} />
          </div>
        ))}
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
        {ready ? <Page route={route} onDeleted={() => { endLocally(); location.hash = '#/'; setDeleted(true); }} /> : <p role="status">{t('app.loading')}</p>}
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
    case 'reportView':
      return <ReportViewPage id={route.id} />;
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
    case 'deskTool':
      return <DeskToolPage tool={route.tool} />;
    case 'myHome':
      return <MyHomePage />;
    case 'account':
      return <AccountPage onDeleted={onDeleted} />;
    default:
      return <NotFoundPage />;
  }
}
