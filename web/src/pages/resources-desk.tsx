/**
 * Resources' opening hours and the quotas per kind (agents): PATCH /resources/{id} with the week's opening hours,
 * PUT /quotas/{kind}. The API checks every rule again (periods on slot boundaries, the resource's operator, a
 * concurrent edit answered 409); the page writes what the agent typed and shows the API's reason when it refuses.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Page, type Resource } from '../api';
import type { components } from '../generated/openapi';
import { ErrorMessage, Loading, useLoad } from '../components';
import { useApp } from '../context';
import { RESOURCE_KINDS } from '../format';
import type { Key } from '../i18n';

type Quota = components['schemas']['Quota'];
type OpeningHours = components['schemas']['OpeningHours'];

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** A day's periods as typed ("08:00-12:00, 14:00-20:00"), or null when one is not HH:MM-HH:MM. */
export function periodsFrom(text: string): string[] | null {
  const periods = text.split(/[,;\s]+/).map((p) => p.trim().replace(/[–—]/g, '-')).filter(Boolean);
  return periods.every((p) => /^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$/.test(p)) ? periods : null;
}

/** The week the form describes, closed days left out; the day whose text is not understood, when one is not. */
export function openingHoursFrom(days: Record<string, string>): { hours: OpeningHours } | { invalid: string } {
  const hours: OpeningHours = {};
  for (const day of WEEKDAYS) {
    const periods = periodsFrom(days[day] ?? '');
    if (periods === null) return { invalid: day };
    if (periods.length > 0) hours[day] = periods;
  }
  return { hours };
}

export function ResourcesDeskPage() {
  return (
    <>
      <QuotaEditor />
      <ResourcesEditor />
    </>
  );
}

function QuotaEditor() {
  const { t, api } = useApp();
  const [kind, setKind] = useState('FESTIVE_HALL');
  const [form, setForm] = useState<{ maxActive: string; maxHoursPerWeek: string }>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const quota = useLoad(async () => {
    const q = await api.get<Quota>(`/quotas/${kind}`).catch((e) => (e instanceof ApiError && e.status === 404 ? ({ kind } as Quota) : Promise.reject(e)));
    setForm({ maxActive: q.maxActive?.toString() ?? '', maxHoursPerWeek: q.maxHoursPerWeek?.toString() ?? '' });
    return q;
  }, [kind]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    const body: Record<string, number> = {};
    if (form?.maxActive.trim()) body.maxActive = Number(form.maxActive);
    if (form?.maxHoursPerWeek.trim()) body.maxHoursPerWeek = Number(form.maxHoursPerWeek);
    try {
      await api.put(`/quotas/${kind}`, body);
      setSaved(t('rdesk.quotaSaved', { kind: t(`rkind.${kind}` as Key) }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="q-title">
      <h2 id="q-title">{t('rdesk.quotas')}</h2>
      <p class="muted">{t('rdesk.quotasIntro')}</p>
      <div class="filters">
        <div class="field">
          <label for="q-kind">{t('rdesk.kind')}</label>
          <select id="q-kind" value={kind} onChange={(e) => { setKind((e.target as HTMLSelectElement).value); setSaved(undefined); }}>
            {RESOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`rkind.${k}` as Key)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="q-active">{t('rdesk.maxActive')}</label>
          <input id="q-active" type="number" min={1} max={1000} disabled={!form} value={form?.maxActive ?? ''}
            onInput={(e) => setForm({ ...form!, maxActive: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="q-hours">{t('rdesk.maxHours')}</label>
          <input id="q-hours" type="number" min={1} max={168} disabled={!form} value={form?.maxHoursPerWeek ?? ''}
            onInput={(e) => setForm({ ...form!, maxHoursPerWeek: (e.target as HTMLInputElement).value })} />
        </div>
      </div>
      {quota.loading && <Loading />}
      {quota.error !== undefined && <ErrorMessage error={quota.error} />}
      <div class="actions">
        <button type="submit" class="button" disabled={!form}>
          {t('rdesk.saveQuota')}
        </button>
      </div>
      {saved && (
        <p class="notice success" role="status">
          {saved}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

function ResourcesEditor() {
  const { t, api } = useApp();
  const [kind, setKind] = useState('SHARED_WORKSHOP');
  const [changed, setChanged] = useState(0);
  const [saved, setSaved] = useState<string>();
  const list = useLoad(() => api.get<Page<Resource>>(`/resources?kind=${kind}&limit=50`), [kind], [changed]);
  return (
    <section aria-labelledby="r-title">
      <h2 id="r-title">{t('rdesk.resources')}</h2>
      <div class="field">
        <label for="r-kind">{t('rdesk.kind')}</label>
        <select id="r-kind" value={kind} onChange={(e) => { setKind((e.target as HTMLSelectElement).value); setSaved(undefined); }}>
          {RESOURCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`rkind.${k}` as Key)}
            </option>
          ))}
        </select>
      </div>
      {saved && (
        <p class="notice success" role="status">
          {saved}
        </p>
      )}
      {list.loading && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
      <ul class="list" aria-labelledby="r-title">
        {list.data?.items.map((r) => (
          <HoursForm key={`${r.id}:${r.version}`} resource={r} onSaved={() => { setSaved(t('rdesk.hoursSaved', { name: r.name })); setChanged((n) => n + 1); }} />
        ))}
      </ul>
    </section>
  );
}

function HoursForm({ resource, onSaved }: { resource: Resource; onSaved: () => void }) {
  const { t, api } = useApp();
  const [days, setDays] = useState<Record<string, string>>(() =>
    Object.fromEntries(WEEKDAYS.map((d) => [d, (resource.openingHours?.[d] ?? []).join(', ')])));
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState<string>();
  const id = (day: string) => `h-${resource.id}-${day}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const week = openingHoursFrom(days);
    if ('invalid' in week) return setInvalid(week.invalid);
    setInvalid(undefined);
    try {
      await api.patch(`/resources/${encodeURIComponent(resource.id)}`, { openingHours: week.hours });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li class="item">
      <h3>{resource.name}</h3>
      <p class="muted">
        {t('rdesk.capacity', { capacity: resource.capacity, slot: resource.slotMinutes })}
        {resource.organisationId && ` · ${resource.organisationId}`}
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('rdesk.hours')}</legend>
          <p class="muted">{t('rdesk.hoursHint')}</p>
          <div class="filters">
            {WEEKDAYS.map((day) => (
              <div class="field" key={day}>
                <label for={id(day)}>{t(`rdesk.day.${day}` as Key)}</label>
                <input id={id(day)} type="text" maxLength={120} value={days[day]} aria-invalid={invalid === day ? 'true' : undefined}
                  onInput={(e) => setDays({ ...days, [day]: (e.target as HTMLInputElement).value })} />
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" class="button secondary">
          {t('rdesk.saveHours')}
        </button>
      </form>
      {invalid && (
        <p class="notice error" role="alert">
          {t('rdesk.invalidDay', { day: t(`rdesk.day.${invalid}` as Key) })}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </li>
  );
}
