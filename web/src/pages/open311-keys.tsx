/**
 * Open311 api keys of an organisation (agents for any organisation, providers for their own): issue one for a
 * partner application, list them (never with their secret), revoke one. The api_key is in the issuing answer only:
 * it is shown once, kept in this page's memory, and can be downloaded as a file made in the browser.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api';
import type { components } from '../generated/openapi';
import { ConfirmedAction, ErrorMessage, Loading, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { downloadText } from './devices-desk';
import { useOrganisations } from './desk';

type ClientKey = components['schemas']['ClientKey'];
type IssuedKey = components['schemas']['IssuedKey'];

export function Open311KeysPage() {
  const { t, api, locale, config } = useApp();
  const { organisations, org, setOrganisation } = useOrganisations();
  const [changed, setChanged] = useState(0);
  const [issued, setIssued] = useState<IssuedKey>();
  const [message, setMessage] = useState<string>();
  const keys = useLoad(async () => (org ? api.get<{ items: ClientKey[] }>(`/organisations/${encodeURIComponent(org)}/open311-keys`) : undefined), [org], [changed]);
  const path = (o: string) => `/organisations/${encodeURIComponent(o)}/open311-keys`;
  return (
    <>
      <p>{t('open311.intro')}</p>
      {organisations.error !== undefined && <ErrorMessage error={organisations.error} />}
      {organisations.data && organisations.data.length === 0 && <p class="notice">{t('open311.noOrganisation')}</p>}
      <div class="field">
        <label for="k-organisation">{t('desk.organisation')}</label>
        <select id="k-organisation" value={org ?? ''} disabled={!organisations.data || organisations.data.length < 2}
          onChange={(e) => { setOrganisation((e.target as HTMLSelectElement).value); setIssued(undefined); setMessage(undefined); }}>
          {organisations.data?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      {issued && <IssuedSecret issued={issued} onDone={() => setIssued(undefined)} />}
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {org && (
        <IssueForm organisation={org} onIssued={(k) => { setIssued(k); setMessage(undefined); setChanged((n) => n + 1); }} path={path(org)} />
      )}
      <section aria-labelledby="k-list">
        <h2 id="k-list">{t('open311.keys')}</h2>
        {keys.loading && <Loading />}
        {keys.error !== undefined && <ErrorMessage error={keys.error} />}
        {keys.data && keys.data.items.length === 0 && <p>{t('open311.none')}</p>}
        <ul class="list" aria-labelledby="k-list">
          {keys.data?.items.map((k) => (
            <li key={k.keyId} class="item">
              <h3>{k.name}</h3>
              <p class="muted">
                {k.keyId}
                {k.createdAt && ` · ${t('open311.created', { at: formatDateTime(k.createdAt, locale, config.timeZone) })}`}
                {k.createdBy && ` · ${k.createdBy}`}
              </p>
              <ConfirmedAction id={`revoke-${k.keyId}`} ask={t('open311.revoke', { name: k.name })} question={t('open311.revokeConfirm', { name: k.name })}
                yes={t('open311.revokeYes')}
                act={async () => {
                  await api.delete(`${path(k.organisationId)}/${encodeURIComponent(k.keyId)}`);
                  setIssued((i) => (i?.key.keyId === k.keyId ? undefined : i));
                  setMessage(t('open311.revoked', { name: k.name }));
                  setChanged((n) => n + 1);
                }} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function IssueForm({ organisation, path, onIssued }: { organisation: string; path: string; onIssued: (k: IssuedKey) => void }) {
  const { t, api } = useApp();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      onIssued(await api.post<IssuedKey>(path, { name: name.trim() }, key));
      setKey(newIdempotencyKey());
      setName('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h2>{t('open311.new', { organisation })}</h2>
      <div class="row">
        <div class="field grow">
          <label for="k-name">{t('open311.name')}</label>
          <input id="k-name" type="text" required minLength={2} maxLength={100} value={name}
            onInput={(e) => { setName((e.target as HTMLInputElement).value); setKey(newIdempotencyKey()); }} />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {t('open311.issue')}
        </button>
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

function IssuedSecret({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const { t } = useApp();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), [issued]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.apiKey ?? '');
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section class="panel secret" aria-labelledby="k-issued">
      <h2 id="k-issued" tabIndex={-1} ref={heading}>
        {t('open311.issued', { name: issued.key.name })}
      </h2>
      {issued.apiKey ? (
        <>
          <p class="notice error">
            <strong>{t('open311.once')}</strong>
          </p>
          <div class="field">
            <label for="k-secret">{t('open311.apiKey')}</label>
            <input id="k-secret" type="text" readOnly class="pem" value={issued.apiKey} onFocus={(e) => (e.target as HTMLInputElement).select()} />
          </div>
        </>
      ) : (
        <p class="notice">{t('open311.replayed')}</p>
      )}
      <div class="actions">
        {issued.apiKey && (
          <>
            <button type="button" class="button secondary" onClick={copy}>
              {t('open311.copy')}
            </button>
            <button type="button" class="button secondary" onClick={() => downloadText(`open311-${issued.key.keyId}.txt`, `${issued.apiKey}\n`, 'text/plain')}>
              {t('open311.download')}
            </button>
          </>
        )}
        <button type="button" class="button" onClick={onDone}>
          {t('open311.done')}
        </button>
      </div>
      {copied && (
        <p class="muted" role="status">
          {t('open311.copied')}
        </p>
      )}
    </section>
  );
}
