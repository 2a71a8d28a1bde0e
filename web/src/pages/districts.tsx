/**
 * District aggregates as a chart (GET /districts/{district}/aggregates, one request a day of the week shown): a bar a
 * day, drawn in a table so that the figures are read as well as seen. Household data is withheld by the API below
 * the household threshold: such a day has no bar and no figure but a label saying why, never a zero, which would
 * read as "nothing consumed".
 */
import { useState } from 'preact/hooks';
import type { components } from '../generated/openapi';
import { ErrorMessage, Loading, SelectField, StatusLine, useLoad } from '../components';
import { useApp } from '../context';
import { addDays, formatDateTime, formatNumber, localDay } from '../format';
import type { Key } from '../i18n';

type DistrictAggregate = components['schemas']['DistrictAggregate'];
type DeviceKind = components['schemas']['DeviceKind'];

/** Health data is never aggregated (the API answers 403), so it is not offered. */
const KINDS: DeviceKind[] = ['ELECTRICITY_METER', 'WATER_METER', 'HEAT_METER', 'PV_PRODUCTION', 'AIR_QUALITY', 'NOISE', 'PARKING_SENSOR', 'SMART_LOCK', 'HOME_SENSOR'];
/** The unit of a meter's consumption (or production), as the telemetry function computes it. */
const UNIT: Partial<Record<DeviceKind, string>> = { ELECTRICITY_METER: 'kWh', WATER_METER: 'L', HEAT_METER: 'kWh', PV_PRODUCTION: 'kWh' };

/** What one day of the chart shows: a bar with its figure, a withheld figure (with why), or nothing measured. */
export type DayBar =
  | { period: string; state: 'value'; value: number; share: number; devices: number; households?: number }
  | { period: string; state: 'withheld'; devices: number }
  | { period: string; state: 'empty'; devices: number };

/** The figure an aggregate gives: consumption for meters, else the average of one metric (e.g. pm2_5_ugm3). */
export function figureOf(a: DistrictAggregate, metric?: string): number | undefined {
  if (a.consumption !== undefined && a.consumption !== null) return a.consumption;
  if (metric) return a.metrics?.[metric]?.average;
  return undefined;
}

/** The metrics the aggregates carry, in the order first met (gauges only; meters have a consumption). */
export function metricsOf(aggregates: DistrictAggregate[]): string[] {
  const seen = new Set<string>();
  for (const a of aggregates) for (const m of Object.keys(a.metrics ?? {})) seen.add(m);
  return [...seen];
}

/** The chart's days, each bar's length a share of the largest figure; a withheld day is never a zero. */
export function dayBars(aggregates: DistrictAggregate[], metric?: string): DayBar[] {
  const figures = aggregates.map((a) => (a.suppressed ? undefined : figureOf(a, metric)));
  const max = Math.max(0, ...figures.map((f) => (f === undefined ? 0 : Math.abs(f))));
  return aggregates.map((a, i) => {
    if (a.suppressed) return { period: a.period, state: 'withheld', devices: a.devices };
    const value = figures[i];
    if (value === undefined) return { period: a.period, state: 'empty', devices: a.devices };
    return { period: a.period, state: 'value', value, share: max > 0 ? Math.abs(value) / max : 0, devices: a.devices, households: a.households };
  });
}

/** The seven days ending on `last` (YYYY-MM-DD), oldest first. */
export function weekEnding(last: string): string[] {
  return [6, 5, 4, 3, 2, 1, 0].map((n) => addDays(last, -n));
}

export function DistrictsPage() {
  const { t, api, session, locale, config } = useApp();
  const today = localDay(new Date(), config.timeZone);
  const [district, setDistrict] = useState(session?.district ?? 'centre');
  const [kind, setKind] = useState<DeviceKind>('ELECTRICITY_METER');
  const [last, setLast] = useState(today);
  const [metric, setMetric] = useState<string>();
  const [asked, setAsked] = useState({ district, kind, last });
  const week = useLoad(
    () => Promise.all(weekEnding(asked.last).map((day) =>
      api.get<DistrictAggregate>(`/districts/${encodeURIComponent(asked.district)}/aggregates?kind=${asked.kind}&period=${day}`))),
    [asked.district, asked.kind, asked.last],
  );
  const metrics = week.data ? metricsOf(week.data) : [];
  const chosen = metric && metrics.includes(metric) ? metric : metrics[0];
  const bars = week.data ? dayBars(week.data, UNIT[asked.kind] ? undefined : chosen) : [];
  const unit = UNIT[asked.kind] ?? '';
  const through = week.data?.map((a) => a.through).filter((x): x is string => !!x).sort().pop();
  const withheld = bars.filter((b) => b.state === 'withheld').length;
  const dayLabel = (day: string) => new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
  return (
    <>
      <p>{t('districts.intro')}</p>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setAsked({ district: district.trim(), kind, last }); }}>
        <div class="field">
          <label for="a-district">{t('districts.district')}</label>
          <input id="a-district" type="text" required maxLength={64} pattern="[a-z0-9][a-z0-9\-]{0,63}" value={district}
            onInput={(e) => setDistrict((e.target as HTMLInputElement).value)} />
        </div>
        <SelectField id="a-kind" label={t('districts.kind')} value={kind} choices={KINDS.map((k) => ({ value: k, label: t(`device.${k}` as Key) }))}
          onPick={(v) => setKind(v as DeviceKind)} />
        <div class="field">
          <label for="a-last">{t('districts.last')}</label>
          <input id="a-last" type="date" required max={today} value={last} onInput={(e) => setLast((e.target as HTMLInputElement).value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button">
            {t('districts.show')}
          </button>
        </div>
      </form>
      {week.loading && <Loading />}
      {week.error !== undefined && <ErrorMessage error={week.error} />}
      {week.data && (
        <section aria-labelledby="a-chart">
          <h2 id="a-chart">{t('districts.chartTitle', { kind: t(`device.${asked.kind}` as Key), district: asked.district })}</h2>
          <StatusLine tone="plain" text={`${withheld > 0 ? t('districts.withheldCount', { count: withheld }) : t('districts.shownCount', { count: bars.filter((b) => b.state === 'value').length })} ${
            through ? t('districts.through', { at: formatDateTime(through, locale, config.timeZone) }) : t('districts.notSwept')}`} />
          {!UNIT[asked.kind] && metrics.length > 1 && (
            <SelectField id="a-metric" label={t('districts.metric')} value={chosen ?? ''} choices={metrics.map((m) => ({ value: m, label: m }))} onPick={setMetric} />
          )}
          <table class="histogram aggregates">
            <caption>
              {UNIT[asked.kind] ? t('districts.captionConsumption', { unit }) : t('districts.captionMetric', { metric: chosen ?? '—' })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('districts.day')}</th>
                <th scope="col">{t('districts.bar')}</th>
                <th scope="col">{t('districts.figure')}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.period} class={b.state === 'withheld' ? 'withheld' : undefined}>
                  <th scope="row">{dayLabel(b.period)}</th>
                  {b.state === 'value' ? (
                    <>
                      <td>
                        <span class="meter" aria-hidden="true">
                          <span style={{ width: `${Math.round(b.share * 100)}%` }} />
                        </span>
                      </td>
                      <td class="num">
                        {`${formatNumber(b.value, locale, 2)} ${unit}`.trim()}
                        {b.devices > 0 && <span class="muted"> · {t('districts.devices', { count: b.devices })}</span>}
                      </td>
                    </>
                  ) : (
                    // No bar and no figure: the reason, across both columns (a withheld day is never drawn as a zero).
                    <td colSpan={2}>
                      {b.state === 'withheld' ? <span class="withheld-label">{t('districts.withheld')}</span> : <span class="muted">{t('districts.empty')}</span>}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
