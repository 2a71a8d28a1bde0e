/**
 * My account (GET /me): my roles and residency, proving where I live (census, postal code, in person), my data from
 * every capability as one download (POST /me/exports, then GET /me/exports/{id} until every part is there), and
 * deleting my account (DELETE /me). The accounts function is the judge of every rule; a role or a district granted
 * here reaches the token at its next refresh (at once when the census approves), which the page says.
 */
import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../api';
import type { components } from '../generated/openapi';
import { ConfirmedAction, ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import type { Key } from '../i18n';

type Schemas = components['schemas'];
type Me = Schemas['Me'];
type VerificationRequest = Schemas['VerificationRequest'];
type VerificationCommand = Schemas['VerificationCommand'];
type Method = VerificationCommand['method'];
type Preferences = Schemas['NotificationPreferences']['preferences'];
type Frequency = Schemas['NotificationFrequency'];
const KINDS: (keyof Preferences)[] = ['reports', 'operatorReports', 'bookings', 'consultations', 'deviceAlerts'];
const FREQUENCIES: Frequency[] = ['IMMEDIATELY', 'DAILY_DIGEST', 'NEVER'];

/** The request a verification form describes, trimmed, with only the fields of its method. */
export function verificationCommand(method: Method, f: { documentNumber: string; birthDate: string; district: string; address: string }): VerificationCommand {
  switch (method) {
    case 'CENSUS':
      return { method, documentNumber: f.documentNumber.trim().toUpperCase(), birthDate: f.birthDate };
    case 'POSTAL':
      return { method, district: f.district.trim(), address: f.address.trim() };
    default:
      return { method, district: f.district.trim() };
  }
}

export function AccountPage({ onDeleted }: { onDeleted: () => void }) {
  const { t, api, session, locale, config } = useApp();
  const [changed, setChanged] = useState(0);
  const [message, setMessage] = useState<string>();
  const me = useLoad(async () => (session ? api.get<Me>('/me') : undefined), [session], [changed]);
  const title = t('account.title');
  if (!session) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  const m = me.data;
  const open = m?.verification.requests.find((r) => r.status === 'PENDING' || r.status === 'LETTER_SENT');
  const v = m?.verification.verification;
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {me.loading && !m && <Loading />}
      {me.error !== undefined && <ErrorMessage error={me.error} />}
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {m && (
        <>
          <section class="panel" aria-labelledby="profile">
            <h2 id="profile">{t('account.profile')}</h2>
            {m.email && <p>{m.email}</p>}
            <p>
              {t('account.roles')}{' '}
              {m.roles.length === 0 ? t('account.noRole') : m.roles.map((r) => t(`role.${r}` as Key)).join(', ')}
              {m.district && ` · ${t('account.district', { district: m.district })}`}
              {m.organisation && ` · ${t('account.organisation', { organisation: m.organisation })}`}
            </p>
            <p class="muted">{t('account.takeEffect')}</p>
          </section>
          <section class="panel" aria-labelledby="residency">
            <h2 id="residency">{t('account.residency')}</h2>
            {v && (
              <p>
                {t(v.valid ? 'account.verified' : 'account.expired', {
                  district: v.district,
                  method: t(`method.${v.method}` as Key),
                  until: formatDateTime(v.validUntil, locale, config.timeZone),
                })}
              </p>
            )}
            {open ? <OpenRequest request={open} onDone={(msg) => { setMessage(msg); setChanged((n) => n + 1); }} /> : (
              (!v || !v.valid) && <VerificationForm onDone={(msg) => { setMessage(msg); setChanged((n) => n + 1); }} />
            )}
          </section>
          <NotificationSettings />
          <PushOnThisDevice />
          <MyExport />
          <DeleteAccount onDeleted={onDeleted} />
        </>
      )}
    </>
  );
}

function VerificationForm({ onDone }: { onDone: (message: string) => void }) {
  const { t, api, renew } = useApp();
  const [method, setMethod] = useState<Method>('CENSUS');
  const [f, setF] = useState({ documentNumber: '', birthDate: '', district: '', address: '' });
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(newIdempotencyKey);
  const set = (k: keyof typeof f, v: string) => setF({ ...f, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api.post<VerificationRequest>('/verifications', verificationCommand(method, f), key);
      setKey(newIdempotencyKey());
      // Approved at once (census): a refreshed token carries the resident group and the district now.
      if (r.status === 'APPROVED') await renew();
      onDone(r.status === 'APPROVED' ? t('account.approvedNow', { district: r.district }) : t('account.requested'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit}>
      <p>{t('account.whyVerify')}</p>
      <fieldset>
        <legend>{t('account.how')}</legend>
        {(['CENSUS', 'POSTAL', 'IN_PERSON'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="method" value={m} checked={method === m} onChange={() => { setMethod(m); setKey(newIdempotencyKey()); }} />
            {t(`method.${m}.long` as Key)}
          </label>
        ))}
      </fieldset>
      {method === 'CENSUS' && (
        <div class="row">
          <div class="field">
            <label for="v-document">{t('account.document')}</label>
            <input id="v-document" type="text" required minLength={4} maxLength={40} autoComplete="off" value={f.documentNumber} onInput={(e) => set('documentNumber', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="v-birth">{t('account.birthDate')}</label>
            <input id="v-birth" type="date" required autoComplete="bday" value={f.birthDate} onInput={(e) => set('birthDate', (e.target as HTMLInputElement).value)} />
          </div>
        </div>
      )}
      {method !== 'CENSUS' && (
        <div class="field">
          <label for="v-district">{t('account.districtField')}</label>
          <input id="v-district" type="text" required pattern="[a-z0-9][a-z0-9\-]{0,63}" value={f.district} onInput={(e) => set('district', (e.target as HTMLInputElement).value)} />
        </div>
      )}
      {method === 'POSTAL' && (
        <div class="field">
          <label for="v-address">{t('account.address')}</label>
          <input id="v-address" type="text" required minLength={5} maxLength={300} autoComplete="address-line1" value={f.address} onInput={(e) => set('address', (e.target as HTMLInputElement).value)} />
        </div>
      )}
      {method === 'CENSUS' && <p class="muted">{t('account.censusPrivacy')}</p>}
      <button type="submit" class="button">
        {t('account.verify')}
      </button>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

function OpenRequest({ request, onDone }: { request: VerificationRequest; onDone: (message: string) => void }) {
  const { t, api, locale, config } = useApp();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api.post<VerificationRequest>(`/verifications/${encodeURIComponent(request.id)}/code`, { code: code.trim().toUpperCase() }, newIdempotencyKey());
      onDone(t('account.approvedNow', { district: r.district }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <p>
        {t('account.pending', { method: t(`method.${request.method}` as Key), district: request.district, at: formatDateTime(request.createdAt, locale, config.timeZone) })}{' '}
        <span class="badge">{t(`vstatus.${request.status}` as Key)}</span>
      </p>
      {request.status === 'LETTER_SENT' && (
        <form class="row" onSubmit={submit}>
          <div class="field">
            <label for="v-code">{t('account.code')}</label>
            <input id="v-code" type="text" required maxLength={16} autoComplete="one-time-code" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button">
            {t('account.sendCode')}
          </button>
          {request.triesLeft !== undefined && <p class="muted">{t('account.triesLeft', { n: request.triesLeft })}</p>}
          {error !== undefined && <ErrorMessage error={error} />}
        </form>
      )}
    </div>
  );
}

/** Starts an export, then asks for it until every capability has written its part, and offers it as one file. */
/** base64url (the API's VAPID key) to the bytes pushManager.subscribe wants as applicationServerKey. */
export function base64UrlBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * "Receive notifications on this device": asks the browser's permission (only on this click), subscribes with the
 * API's VAPID public key and sends the subscription to the API. Hidden where the browser has no Push API, or while
 * the territory has no VAPID key yet (503).
 */
function PushOnThisDevice() {
  const { t, api } = useApp();
  const [state, setState] = useState<'idle' | 'pending' | 'done' | 'denied'>('idle');
  const [error, setError] = useState<unknown>();
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || typeof PushManager === 'undefined') return null;
  const start = async () => {
    setError(undefined);
    setState('pending');
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        setState('denied');
        return;
      }
      const { publicKey } = await api.get<Schemas['VapidPublicKey']>('/notifications/vapid-public-key');
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlBytes(publicKey) as BufferSource,
      });
      await api.post<Schemas['PushSubscription']>('/me/notifications/push-subscriptions', subscription.toJSON(), newIdempotencyKey());
      setState('done');
    } catch (err) {
      setState('idle');
      setError(err);
    }
  };
  return (
    <section class="panel" aria-labelledby="push">
      <h2 id="push">{t('account.push')}</h2>
      {state === 'done' ? (
        <p role="status">{t('account.pushDone')}</p>
      ) : (
        <button type="button" class="button secondary" disabled={state === 'pending'} onClick={start}>
          {t('account.pushStart')}
        </button>
      )}
      {state === 'denied' && <p role="status" class="muted">{t('account.pushDenied')}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
    </section>
  );
}

function MyExport() {
  const { t, api } = useApp();
  const [state, setState] = useState<{ pending?: string[]; file?: string }>({});
  const [error, setError] = useState<unknown>();
  const start = async () => {
    setError(undefined);
    try {
      const started = await api.post<Schemas['ExportPending']>('/me/exports', undefined, newIdempotencyKey());
      setState({ pending: started.pending });
      for (let i = 0; i < 60; i++) {
        const got = await api.get<Schemas['ExportPending'] | Schemas['ExportReady']>(`/me/exports/${encodeURIComponent(started.exportId)}`);
        if (got.status === 'READY') {
          setState({ file: URL.createObjectURL(new Blob([JSON.stringify(got, null, 2)], { type: 'application/json' })) });
          return;
        }
        setState({ pending: (got as Schemas['ExportPending']).pending });
        await new Promise((r) => setTimeout(r, 1000));
      }
      throw new ApiError({ status: 504, detail: t('account.exportSlow') });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="panel" aria-labelledby="export">
      <h2 id="export">{t('account.export')}</h2>
      <p>{t('account.exportIntro')}</p>
      {state.file ? (
        <a class="button secondary" href={state.file} download="territoire-my-data.json">
          {t('account.exportDownload')}
        </a>
      ) : (
        <button type="button" class="button secondary" disabled={state.pending !== undefined} onClick={start}>
          {t('account.exportStart')}
        </button>
      )}
      {state.pending && (
        <p role="status" class="muted">
          {t('account.exportPending', { parts: state.pending.join(', ') })}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </section>
  );
}

function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { t, api } = useApp();
  return (
    <section class="panel" aria-labelledby="delete">
      <h2 id="delete">{t('account.delete')}</h2>
      <p>{t('account.deleteIntro')}</p>
      <ConfirmedAction id="delete-q" ask={t('account.deleteAsk')} question={t('account.deleteConfirm')} yes={t('account.deleteYes')}
        act={async () => { await api.delete('/me'); onDeleted(); }} />
    </section>
  );
}

/** What I am told and how often, per kind (GET and PUT /me/notifications); a kind left as it was is sent as it is. */
function NotificationSettings() {
  const { t, api } = useApp();
  const saved = useLoad(() => api.get<Schemas['NotificationPreferences']>('/me/notifications'), []);
  const [draft, setDraft] = useState<Partial<Preferences>>({});
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  const current = saved.data?.preferences;
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await api.put('/me/notifications', { preferences: { ...current, ...draft } });
      setDraft({});
      setDone(true);
      saved.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="panel" aria-labelledby="notifications">
      <h2 id="notifications">{t('account.notifications')}</h2>
      <p>{t('account.notificationsIntro')}</p>
      {saved.error !== undefined && <ErrorMessage error={saved.error} />}
      {current && (
        <form onSubmit={save}>
          {KINDS.map((kind) => (
            <div class="field" key={kind}>
              <label for={`n-${kind}`}>{t(`notify.${kind}` as Key)}</label>
              <select id={`n-${kind}`} value={draft[kind] ?? current[kind]}
                onChange={(e) => { setDone(false); setDraft({ ...draft, [kind]: (e.target as HTMLSelectElement).value as Frequency }); }}>
                {FREQUENCIES.map((f) => (
                  <option key={f} value={f}>
                    {t(`frequency.${f}` as Key)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          {error !== undefined && <ErrorMessage error={error} />}
          {done && <p role="status">{t('account.notificationsSaved')}</p>}
          <button type="submit" class="button secondary">
            {t('account.notificationsSave')}
          </button>
        </form>
      )}
    </section>
  );
}
