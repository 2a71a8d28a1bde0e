/**
 * My home: the caller's connected devices with their latest reading, the last day's consumption as a chart (with
 * the same figures as a table, for screen readers and for copying), the alerts on them, and the person's own
 * telemetry to download or erase (GET and DELETE /me/telemetry).
 */
import { useState } from 'preact/hooks';
import type { Alert, Device, Reading } from '../api';
import { ApiError } from '../api';
import { ConfirmedAction, ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime, formatNumber, formatTime } from '../format';
import type { Key } from '../i18n';

interface Rollup {
  start: string;
  end: string;
  readings: number;
  consumption?: number;
}

/** The unit of a device's consumption, as the telemetry function computes it (docs/api.md, rollups). */
const UNIT: Record<string, string> = { ELECTRICITY_METER: 'kWh', WATER_METER: 'L', HEAT_METER: 'kWh', PV_PRODUCTION: 'kWh' };

/** The bars of a consumption chart: each hour's share of the largest hour, from 0 to 1. */
export function barHeights(values: number[]): number[] {
  const max = Math.max(0, ...values);
  return values.map((v) => (max > 0 ? Math.max(0, v) / max : 0));
}

export function MyHomePage() {
  const { t, api, session } = useApp();
  const [erased, setErased] = useState<number>();
  const data = useLoad(async () => {
    if (!session) return undefined;
    const [devices, alerts] = await Promise.all([api.get<{ items: Device[] }>('/devices/mine'), api.get<{ items: Alert[] }>('/alerts')]);
    return { devices: devices.items, alerts: alerts.items };
  }, [session], [erased]);
  const title = t('home.mine');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {data.loading && session && <Loading />}
      {data.error !== undefined && <ErrorMessage error={data.error} />}
      {erased !== undefined && (
        <p class="notice success" role="status">
          {t('myhome.erased', { count: erased })}
        </p>
      )}
      {data.data && (
        <>
          <section aria-labelledby="alerts">
            <h2 id="alerts">{t('myhome.alerts')}</h2>
            {data.data.alerts.length === 0 ? <p>{t('myhome.noAlert')}</p> : <Alerts alerts={data.data.alerts} />}
          </section>
          <section aria-labelledby="devices">
            <h2 id="devices">{t('myhome.devices')}</h2>
            {data.data.devices.length === 0 && <p>{t('myhome.noDevice')}</p>}
            <ul class="list">
              {data.data.devices.map((d) => (
                <DeviceCard key={`${d.id}:${erased ?? 0}`} device={d} />
              ))}
            </ul>
          </section>
          <MyData onErased={setErased} />
        </>
      )}
    </>
  );
}

function Alerts({ alerts }: { alerts: Alert[] }) {
  const { t, locale, config } = useApp();
  return (
    <ul class="list">
      {alerts.map((a) => (
        <li key={a.deviceId + a.rule + a.raisedAt} class={`item${a.clearedAt ? '' : ' alert'}`}>
          <p>
            <strong>{t(`alert.${a.rule}` as Key)}</strong> — {a.deviceId}
          </p>
          <p class="muted">
            {t('myhome.raised', { at: formatDateTime(a.raisedAt, locale, config.timeZone) })}
            {a.clearedAt && ` · ${t('myhome.cleared', { at: formatDateTime(a.clearedAt, locale, config.timeZone) })}`}
          </p>
          {a.detail && <p>{a.detail}</p>}
        </li>
      ))}
    </ul>
  );
}

function DeviceCard({ device }: { device: Device }) {
  const { t, api, locale, config } = useApp();
  const path = `/devices/${encodeURIComponent(device.id)}`;
  const data = useLoad(async () => {
    const from = new Date(Date.now() - 24 * 3_600_000);
    from.setUTCMinutes(0, 0, 0);
    const orNone = <V,>(p: Promise<V>) => p.catch((e) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e)));
    const [latest, rollups] = await Promise.all([
      orNone(api.get<Reading>(`${path}/latest`)),
      api.get<{ items: Rollup[] }>(`${path}/rollups?period=hour&from=${encodeURIComponent(from.toISOString())}`),
    ]);
    return { latest, rollups: rollups.items };
  }, [device.id]);
  const unit = UNIT[device.kind];
  const hours = (data.data?.rollups ?? []).filter((r) => r.consumption !== undefined);
  const heights = barHeights(hours.map((r) => r.consumption!));
  const total = hours.reduce((a, r) => a + r.consumption!, 0);
  return (
    <li class="item">
      <h3>{device.name || t(`device.${device.kind}` as Key)}</h3>
      <p class="muted">{device.name ? `${t(`device.${device.kind}` as Key)} · ${device.id}` : device.id}</p>
      {data.loading && <Loading />}
      {data.error !== undefined && <ErrorMessage error={data.error} />}
      {data.data?.latest && (
        <p>
          {t('myhome.latest', { at: formatDateTime(data.data.latest.at, locale, config.timeZone) })}{' '}
          {Object.entries(data.data.latest.values)
            .map(([k, v]) => `${k} ${formatNumber(v, locale, 2)}`)
            .join(' · ')}
        </p>
      )}
      {unit && hours.length > 0 && (
        <figure class="chart">
          <figcaption>{t('myhome.last24h', { total: formatNumber(total, locale, 1), unit })}</figcaption>
          <svg viewBox={`0 0 ${hours.length * 10} 60`} preserveAspectRatio="none" role="img" aria-hidden="true" focusable="false">
            {heights.map((h, i) => (
              <rect key={i} x={i * 10 + 1} y={60 - h * 58} width={8} height={Math.max(h * 58, 0.5)} />
            ))}
          </svg>
          <details>
            <summary>{t('myhome.table')}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('myhome.hour')}</th>
                  <th scope="col">{t('myhome.consumption', { unit })}</th>
                </tr>
              </thead>
              <tbody>
                {hours.map((r) => (
                  <tr key={r.start}>
                    <th scope="row">{formatTime(r.start, locale, config.timeZone)}</th>
                    <td class="num">{formatNumber(r.consumption!, locale, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </figure>
      )}
    </li>
  );
}

/** Everything the platform's telemetry holds about me, every page of it, as one file. */
async function exportAll(get: <V>(path: string) => Promise<V>): Promise<Blob> {
  const pages: unknown[] = [];
  let next: string | undefined;
  do {
    const page = await get<{ nextToken?: string } & Record<string, unknown>>(`/me/telemetry?limit=500${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`);
    pages.push(page);
    next = page.nextToken;
  } while (next && pages.length < 200);
  return new Blob([JSON.stringify({ exportedAt: new Date().toISOString(), pages }, null, 2)], { type: 'application/json' });
}

function MyData({ onErased }: { onErased: (n: number) => void }) {
  const { t, api } = useApp();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const blob = await exportAll((p) => api.get(p));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'territoire-telemetry.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="mydata" class="panel">
      <h2 id="mydata">{t('myhome.data')}</h2>
      <p>{t('myhome.dataIntro')}</p>
      <div class="actions">
        <button type="button" class="button secondary" disabled={busy} onClick={download}>
          {t('myhome.download')}
        </button>
      </div>
      <ConfirmedAction id="erase-q" ask={t('myhome.erase')} question={t('myhome.eraseConfirm')} yes={t('myhome.eraseYes')}
        act={async () => onErased((await api.delete<{ erasedItems: number }>('/me/telemetry')).erasedItems)} />
      {error !== undefined && <ErrorMessage error={error} />}
    </section>
  );
}
