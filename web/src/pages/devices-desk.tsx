/**
 * Device registration (agents, POST /devices): a household's meter or a street sensor becomes an IoT thing with its
 * certificate. With the device's own certificate request (CSR, recommended) the key never leaves the device; without
 * one AWS IoT makes the key pair and the private key is in this answer only. The credentials are shown once, kept in
 * this page's memory only, and downloaded as files made in the browser (a Blob): no copy is asked of the server.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey, query } from '../api';
import type { components } from '../generated/openapi';
import { ErrorMessage, Loading, SelectField, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import type { Key } from '../i18n';

type NewDevice = components['schemas']['NewDevice'];
type RegisteredDevice = components['schemas']['RegisteredDevice'];
type DeviceKind = components['schemas']['DeviceKind'];
type TerritoryDevice = components['schemas']['TerritoryDevice'];
type TerritoryDevicePage = components['schemas']['TerritoryDevicePage'];

const KINDS: DeviceKind[] = ['ELECTRICITY_METER', 'WATER_METER', 'HEAT_METER', 'PV_PRODUCTION', 'AIR_QUALITY', 'NOISE', 'PARKING_SENSOR',
  'SMART_LOCK', 'HOME_SENSOR', 'HEALTH_DEVICE'];
/** Home devices, which belong to a household (DeviceKind.household() in functions/telemetry). */
export const HOUSEHOLD_KINDS: DeviceKind[] = ['ELECTRICITY_METER', 'WATER_METER', 'HEAT_METER', 'PV_PRODUCTION', 'HOME_SENSOR', 'HEALTH_DEVICE'];

export interface DeviceForm {
  id: string;
  kind: DeviceKind;
  district: string;
  ownerId: string;
  name: string;
  latitude: string;
  longitude: string;
  csr: string;
}

/** The registration the form describes, as the API takes it: empty fields left out, a French decimal comma read. */
export function newDeviceCommand(form: DeviceForm): NewDevice {
  const command: NewDevice = { kind: form.kind, district: form.district.trim() };
  const text = (v: string) => v.trim() || undefined;
  const number = (v: string) => (v.trim() ? Number(v.trim().replace(',', '.')) : undefined);
  const optional: Partial<NewDevice> = {
    id: text(form.id),
    ownerId: HOUSEHOLD_KINDS.includes(form.kind) ? text(form.ownerId) : undefined,
    name: text(form.name),
    latitude: number(form.latitude),
    longitude: number(form.longitude),
    csr: form.csr.trim() ? `${form.csr.trim()}\n` : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (command as Record<string, unknown>)[k] = v;
  return command;
}

/** A file made in the browser and offered for download; the object URL is revoked once the download has started. */
export function downloadText(name: string, text: string, type = 'application/x-pem-file') {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function DevicesDeskPage() {
  const { t, api, session } = useApp();
  const [form, setForm] = useState<DeviceForm>({ id: '', kind: 'ELECTRICITY_METER', district: session?.district ?? '', ownerId: '', name: '', latitude: '', longitude: '', csr: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [registered, setRegistered] = useState<RegisteredDevice>();
  // Each registration reloads the list below, so that the new device is in it.
  const [registrations, setRegistrations] = useState(0);
  // One key per device meant: a retried click registers it once (and a replay answers without the private key).
  const [key, setKey] = useState(newIdempotencyKey);
  const set = <K extends keyof DeviceForm>(k: K, v: DeviceForm[K]) => {
    setForm({ ...form, [k]: v });
    setKey(newIdempotencyKey());
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      setRegistered(await api.post<RegisteredDevice>('/devices', newDeviceCommand(form), key));
      setRegistrations((n) => n + 1);
      setKey(newIdempotencyKey());
      setForm({ ...form, id: '', ownerId: '', name: '', csr: '' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const household = HOUSEHOLD_KINDS.includes(form.kind);
  return (
    <>
      <p>{t('devices.intro')}</p>
      {registered && <Credentials registered={registered} onDone={() => setRegistered(undefined)} />}
      <form class="panel" onSubmit={submit}>
        <h2>{t('devices.new')}</h2>
        <div class="filters">
          <SelectField id="d-kind" label={t('devices.kind')} value={form.kind} choices={KINDS.map((k) => ({ value: k, label: t(`device.${k}` as Key) }))}
            onPick={(v) => set('kind', v as DeviceKind)} />
          <div class="field">
            <label for="d-district">{t('devices.district')}</label>
            <input id="d-district" type="text" required maxLength={64} pattern="[a-z0-9][a-z0-9\-]{0,63}" value={form.district}
              onInput={(e) => set('district', (e.target as HTMLInputElement).value)} />
          </div>
          {household && (
            <div class="field">
              <label for="d-owner">{t('devices.owner')}</label>
              <input id="d-owner" type="text" maxLength={128} required={form.kind === 'HEALTH_DEVICE'} aria-describedby="d-owner-hint" value={form.ownerId}
                onInput={(e) => set('ownerId', (e.target as HTMLInputElement).value)} />
              <small id="d-owner-hint" class="muted">{t('devices.ownerHint')}</small>
            </div>
          )}
          <div class="field">
            <label for="d-id">{t('devices.id')}</label>
            <input id="d-id" type="text" minLength={3} maxLength={64} pattern="[a-z0-9][a-z0-9\-]{2,63}" aria-describedby="d-id-hint" value={form.id}
              onInput={(e) => set('id', (e.target as HTMLInputElement).value)} />
            <small id="d-id-hint" class="muted">{t('devices.idHint')}</small>
          </div>
          <div class="field">
            <label for="d-name">{t('devices.name')}</label>
            <input id="d-name" type="text" maxLength={120} value={form.name} onInput={(e) => set('name', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="d-lat">{t('devices.latitude')}</label>
            <input id="d-lat" type="text" inputMode="decimal" value={form.latitude} onInput={(e) => set('latitude', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="d-lon">{t('devices.longitude')}</label>
            <input id="d-lon" type="text" inputMode="decimal" value={form.longitude} onInput={(e) => set('longitude', (e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="field">
          <label for="d-csr">{t('devices.csr')}</label>
          <textarea id="d-csr" rows={4} maxLength={16384} aria-describedby="d-csr-hint" value={form.csr} onInput={(e) => set('csr', (e.target as HTMLTextAreaElement).value)} />
          <small id="d-csr-hint" class="muted">{t('devices.csrHint')}</small>
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            {t('devices.register')}
          </button>
        </div>
        {error !== undefined && <ErrorMessage error={error} />}
      </form>
      <DevicesList refresh={registrations} />
    </>
  );
}

/**
 * The territory's devices (GET /devices), page by page, of a district and/or a kind: what each is, where, since
 * when and whether it reports; never a reading nor who owns it (only whether a household has it).
 */
function DevicesList({ refresh }: { refresh: number }) {
  const { t, api, locale, config } = useApp();
  const [filter, setFilter] = useState<{ district: string; kind: string }>({ district: '', kind: '' });
  const [draft, setDraft] = useState(filter);
  const [extra, setExtra] = useState<{ items: TerritoryDevice[]; next?: string }>({ items: [] });
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const params = { district: filter.district, kind: filter.kind, limit: 25 };
  const page = useLoad(async () => {
    setExtra({ items: [] });
    setMoreError(undefined);
    return api.get<TerritoryDevicePage>(`/devices${query(params)}`);
  }, [filter.district, filter.kind, refresh]);
  const all = [...(page.data?.items ?? []), ...extra.items];
  const next = extra.next ?? page.data?.nextToken;
  const more = async () => {
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const res = await api.get<TerritoryDevicePage>(`/devices${query({ ...params, nextToken: next })}`);
      setExtra({ items: [...extra.items, ...res.items], next: res.nextToken ?? '' });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="dl-title">
      <h2 id="dl-title">{t('devices.list')}</h2>
      <p class="muted">{t('devices.listIntro')}</p>
      <form
        class="filters"
        aria-label={t('devices.listFilters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ district: draft.district.trim(), kind: draft.kind });
        }}
      >
        <div class="field">
          <label for="dl-district">{t('devices.listDistrict')}</label>
          <input id="dl-district" type="text" maxLength={64} pattern="[a-z0-9][a-z0-9\-]{0,63}" value={draft.district}
            onInput={(e) => setDraft({ ...draft, district: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="dl-kind">{t('devices.kind')}</label>
          <select id="dl-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('devices.listAllKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`device.${k}` as Key)}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="button secondary">
            {t('devices.listShow')}
          </button>
        </div>
      </form>
      {page.loading && <Loading />}
      {page.error !== undefined && <ErrorMessage error={page.error} />}
      {page.data && (
        <>
          <p role="status" id="dl-count">
            {next ? t('devices.listCountMore', { count: all.length }) : t('devices.listCount', { count: all.length })}
          </p>
          {all.length > 0 && (
            <div class="table-scroll" role="region" aria-labelledby="dl-title" tabIndex={0}>
              <table class="devices">
                <caption class="sr-only">{t('devices.list')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('devices.colId')}</th>
                    <th scope="col">{t('devices.kind')}</th>
                    <th scope="col">{t('devices.colDistrict')}</th>
                    <th scope="col">{t('devices.colRegistered')}</th>
                    <th scope="col">{t('devices.colHousehold')}</th>
                    <th scope="col">{t('devices.colStatus')}</th>
                    <th scope="col">{t('devices.colLastHeard')}</th>
                  </tr>
                </thead>
                <tbody>
                  {all.map((d) => (
                    <tr key={d.id} data-device={d.id}>
                      <th scope="row">
                        <code>{d.id}</code>
                      </th>
                      <td>{t(`device.${d.kind}` as Key)}</td>
                      <td>{d.district}</td>
                      <td>{formatDateTime(d.registeredAt, locale, config.timeZone)}</td>
                      <td>{d.household ? t('devices.householdYes') : t('devices.householdNo')}</td>
                      <td class={`status-${d.status.toLowerCase()}`}>{t(`devices.status.${d.status}` as Key)}</td>
                      <td>{d.lastHeardAt ? formatDateTime(d.lastHeardAt, locale, config.timeZone) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <button type="button" class="button secondary" onClick={more} disabled={loadingMore} aria-describedby="dl-count">
              {t('common.more')}
            </button>
          )}
          {moreError !== undefined && <ErrorMessage error={moreError} />}
        </>
      )}
    </section>
  );
}

/** The answer of a registration, shown once: the certificate and (when AWS made the pair) the private key, to download now. */
function Credentials({ registered, onDone }: { registered: RegisteredDevice; onDone: () => void }) {
  const { t, locale, config } = useApp();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [registered]);
  const d = registered.device;
  const c = registered.credentials;
  const base = d.id;
  return (
    <section class="panel secret" aria-labelledby="d-registered">
      <h2 id="d-registered" tabIndex={-1} ref={heading}>
        {t('devices.registered', { id: d.id })}
      </h2>
      <p role="status">
        {t('devices.registeredDetail', { kind: t(`device.${d.kind}` as Key), district: d.district })}
        {d.createdAt && ` · ${formatDateTime(d.createdAt, locale, config.timeZone)}`}
      </p>
      {registered.secretShownOnce ? (
        <p class="notice">{t('devices.replayed')}</p>
      ) : (
        <p class="notice error">
          <strong>{t('devices.once')}</strong>
        </p>
      )}
      {c?.certificateArn && (
        <p class="muted">
          {t('devices.certificateArn')} <code>{c.certificateArn}</code>
        </p>
      )}
      {c?.certificatePem && (
        <div class="field">
          <label for="d-cert">{t('devices.certificate')}</label>
          <textarea id="d-cert" rows={6} readOnly class="pem" value={c.certificatePem} />
        </div>
      )}
      {registered.privateKey && (
        <div class="field">
          <label for="d-key">{t('devices.privateKey')}</label>
          <textarea id="d-key" rows={6} readOnly class="pem" value={registered.privateKey} />
        </div>
      )}
      {!registered.privateKey && !registered.secretShownOnce && <p>{t('devices.keyOnDevice')}</p>}
      <div class="actions">
        {c?.certificatePem && (
          <button type="button" class="button secondary" onClick={() => downloadText(`${base}.cert.pem`, c.certificatePem!)}>
            {t('devices.downloadCertificate')}
          </button>
        )}
        {registered.privateKey && (
          <button type="button" class="button secondary" onClick={() => downloadText(`${base}.private.key`, registered.privateKey!)}>
            {t('devices.downloadKey')}
          </button>
        )}
        <button type="button" class="button" onClick={onDone}>
          {t('devices.done')}
        </button>
      </div>
    </section>
  );
}
