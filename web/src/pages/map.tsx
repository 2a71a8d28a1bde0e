import type { Page, Report } from '../api';
import { ErrorMessage, Loading, PageTitle, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime, formatNumber } from '../format';
import type { Key } from '../i18n';
import { PointsMap } from '../points-map';
import { reportHeading } from './reports';

/**
 * The public map of open reports, as a list first: it needs no tiles, no pointer and no
 * sight (docs/decisions.md). A Leaflet map of the same reports comes above it, for those who
 * see it. No token: the API serves the map to anyone.
 */
export function MapPage() {
  const { t, api, config, locale } = useApp();
  const reports = useLoad(() => api.get<Page<Report>>(`/reports?bbox=${config.mapBox.join(',')}`), []);
  const title = t('map.title');
  const located = (reports.data?.items ?? []).flatMap((r) =>
    r.latitude !== undefined && r.longitude !== undefined ? [{ lat: r.latitude, lon: r.longitude, kind: 'report' as const }] : []);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>{t('map.intro')}</p>
      {reports.loading && <Loading />}
      {reports.error !== undefined && <ErrorMessage error={reports.error} />}
      {reports.data && (
        <>
          <p role="status">{t('map.count', { count: reports.data.items.length })}</p>
          {located.length > 0 && <PointsMap points={located} label={t('map.reportsLabel', { count: located.length })} />}
          <ul class="list">
            {reports.data.items.map((r) => (
              <li key={r.id} class="item">
                <h2>{reportHeading(r, t)}</h2>
                <p>
                  <span class={`badge s-${r.status.toLowerCase()}`}>{t(`status.${r.status}` as Key)}</span>{' '}
                  {r.createdAt && <span class="muted">{formatDateTime(r.createdAt, locale, config.timeZone)}</span>}
                </p>
                {r.address && <p>{r.address}</p>}
                {r.latitude !== undefined && r.longitude !== undefined && (
                  <p class="muted">
                    {t('map.position', { lat: formatNumber(r.latitude, locale, 4), lon: formatNumber(r.longitude, locale, 4) })}
                  </p>
                )}
                {(r.followers ?? 0) > 0 && <p class="muted">{t('map.followers', { count: r.followers ?? 0 })}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
