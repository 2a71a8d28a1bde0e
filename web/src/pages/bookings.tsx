import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, query, type Booking, type CalendarFeed, type Page, type Resource, type Slot } from '../api';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { PointsMap } from '../points-map';
import { addDays, bookableStarts, durationChoices, formatDate, formatDateTime, formatTime, localDay, plusMinutes, RESOURCE_KINDS, weekGrid } from '../format';
import type { Key, T } from '../i18n';
import { href } from '../router';

export function ResourcesPage({ kind }: { kind?: string }) {
  const { t, api, session } = useApp();
  const list = useLoad(async () => (session ? api.get<Page<Resource>>(`/resources${query({ kind, limit: 50 })}`) : undefined), [kind, session]);
  const title = t('resources.title');
  const located = (list.data?.items ?? []).flatMap((r) => {
    const lat = r.location?.latitude;
    const lon = r.location?.longitude;
    return lat !== undefined && lon !== undefined ? [{ lat, lon, kind: 'resource' as const }] : [];
  });
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session ? (
        <SignInPrompt />
      ) : (
        <>
          <div class="field">
            <label for="rkind">{t('resources.kind')}</label>
            <select id="rkind" value={kind ?? ''} onChange={(e) => (location.hash = href('/resources', { kind: (e.target as HTMLSelectElement).value }))}>
              <option value="">{t('services.all')}</option>
              {RESOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`rkind.${k}` as Key)}
                </option>
              ))}
            </select>
          </div>
          {list.loading && <Loading />}
          {list.error !== undefined && <ErrorMessage error={list.error} />}
          {located.length > 0 && <PointsMap points={located} label={t('resources.mapLabel', { count: located.length })} />}
          <ul class="list">
            {list.data?.items.map((r) => (
              <li key={r.id} class="item">
                <h2>
                  <a href={`#/resources/${encodeURIComponent(r.id)}`}>{r.name}</a>
                </h2>
                <p class="muted">
                  {t(`rkind.${r.kind}` as Key)} · {r.district} · {t('resources.capacity', { n: r.capacity })}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function durationLabel(minutes: number, t: T): string {
  if (minutes < 60) return t('resource.minutes', { n: minutes });
  const m = minutes % 60;
  return t('resource.hours', { h: Math.floor(minutes / 60), m: m ? String(m).padStart(2, '0') : '' }).trim();
}

/** What a refused booking means, with the API's own reason: full (and when it frees), outside hours, quota, eligibility. */
function BookingProblem({ error, onPick }: { error: unknown; onPick: (start: string) => void }) {
  const { t, locale, config } = useApp();
  if (!(error instanceof ApiError)) return <ErrorMessage error={error} />;
  const p = error.problem;
  if (error.status === 409 && p.nextFreeStarts?.length) {
    return (
      <div class="notice error" role="alert">
        <p>{t('resource.full')}</p>
        <ul class="inline">
          {p.nextFreeStarts.map((s) => (
            <li key={s}>
              <button type="button" class="button secondary small" onClick={() => onPick(s)}>
                {t('resource.pickStart', { time: formatDateTime(s, locale, config.timeZone) })}
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (error.status === 422 && typeof p.quotaFreesAt === 'string') {
    return <p class="notice error" role="alert">{t('resource.quota', { date: formatDateTime(p.quotaFreesAt, locale, config.timeZone) })}</p>;
  }
  if (error.status === 422) return <p class="notice error" role="alert">{t('resource.refused', { detail: p.detail ?? '' })}</p>;
  if (error.status === 403) return <p class="notice error" role="alert">{t('resource.forbidden', { detail: p.detail ?? '' })}</p>;
  return <ErrorMessage error={error} />;
}

export function ResourcePage({ id }: { id: string }) {
  const { t, api, session, locale, config } = useApp();
  const [day, setDay] = useState(() => addDays(localDay(new Date(), config.timeZone), 1));
  const [duration, setDuration] = useState<number>(0);
  const [units, setUnits] = useState(1);
  const [start, setStart] = useState('');
  const [error, setError] = useState<unknown>();
  const [booked, setBooked] = useState<Booking>();
  const path = `/resources/${encodeURIComponent(id)}`;
  const resource = useLoad(async () => (session ? api.get<Resource>(path) : undefined), [id, session]);
  const slots = useLoad(
    async () => (session ? api.get<{ slots: Slot[] }>(`${path}/availability?date=${day}&days=1`) : undefined),
    [id, day, session], [booked],
  );
  if (!session) {
    return (
      <>
        <PageTitle title={t('resources.title')}>{t('resources.title')}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  if (resource.loading && !resource.data) return <Loading />;
  if (resource.error !== undefined) return <ErrorMessage error={resource.error} />;
  const r = resource.data!;
  const durations = durationChoices(r.slotMinutes, r.minDurationMinutes, Math.min(r.maxDurationMinutes ?? 480, 8 * 60));
  const chosenDuration = duration || durations[0]!;
  const starts = slots.data ? bookableStarts(slots.data.slots, chosenDuration / r.slotMinutes, units) : [];
  const chosenStart = start && starts.includes(start) ? start : '';
  const book = async (at: string) => {
    setError(undefined);
    setBooked(undefined);
    try {
      const b = await api.post<Booking>('/bookings', { resourceId: r.id, start: at, end: plusMinutes(at, chosenDuration), units }, newIdempotencyKey());
      setBooked(b);
    } catch (e) {
      setError(e);
    }
  };
  const openSlots = slots.data?.slots.filter((s) => s.open) ?? [];
  return (
    <>
      <p>
        <a href="#/resources">← {t('resources.title')}</a>
      </p>
      <PageTitle title={r.name}>{r.name}</PageTitle>
      <p class="muted">
        {t(`rkind.${r.kind}` as Key)} · {r.district} · {t('resources.capacity', { n: r.capacity })}
      </p>
      {r.retiredAt ? (
        <p class="notice" role="status">
          {t('resource.retired')}
        </p>
      ) : (
      <form
        class="panel"
        onSubmit={(e) => {
          e.preventDefault();
          const at = chosenStart || starts[0];
          if (at) void book(at);
        }}
      >
        <h2>{t('resource.book')}</h2>
        <div class="row">
          <div class="field">
            <label for="day">{t('resource.date')}</label>
            <input id="day" type="date" value={day} required onChange={(e) => setDay((e.target as HTMLInputElement).value || day)} />
          </div>
          <div class="field">
            <label for="duration">{t('resource.duration')}</label>
            <select id="duration" value={String(chosenDuration)} onChange={(e) => setDuration(Number((e.target as HTMLSelectElement).value))}>
              {durations.map((d) => (
                <option key={d} value={String(d)}>
                  {durationLabel(d, t)}
                </option>
              ))}
            </select>
          </div>
          {r.capacity > 1 && (
            <div class="field">
              <label for="units">{t('resource.units')}</label>
              <input id="units" type="number" min={1} max={r.capacity} value={units} onInput={(e) => setUnits(Math.max(1, Number((e.target as HTMLInputElement).value) || 1))} />
            </div>
          )}
          <div class="field">
            <label for="start">{t('resource.start')}</label>
            <select id="start" value={chosenStart} disabled={starts.length === 0} onChange={(e) => setStart((e.target as HTMLSelectElement).value)}>
              {starts.map((s) => (
                <option key={s} value={s}>
                  {formatTime(s, locale, config.timeZone)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {slots.data && starts.length === 0 && <p class="muted">{t('resource.noStart')}</p>}
        {error !== undefined && <BookingProblem error={error} onPick={(s) => void book(s)} />}
        {booked && (
          <div class="notice success" role="status">
            <p>{t('resource.booked', { status: t(`status.${booked.status}` as Key) })}</p>
            <p>
              <a href="#/bookings">{t('resource.seeBookings')}</a>
            </p>
          </div>
        )}
        <button type="submit" class="button" disabled={starts.length === 0}>
          {t('resource.book')}
        </button>
      </form>
      )}
      <section aria-labelledby="availability">
        <h2 id="availability">{t('resource.availability')}</h2>
        {slots.error !== undefined && <ErrorMessage error={slots.error} />}
        {slots.data && (
          <table class="slots">
            <caption>{t('resource.slotsTable', { day: formatDate(`${day}T12:00:00Z`, locale, config.timeZone) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('resource.time')}</th>
                <th scope="col">{t('resource.free')}</th>
              </tr>
            </thead>
            <tbody>
              {openSlots.length === 0 && (
                <tr>
                  <td colSpan={2}>{t('resource.closed')}</td>
                </tr>
              )}
              {openSlots.map((s) => (
                <tr key={s.start} class={s.free === 0 ? 'full' : ''}>
                  <th scope="row">
                    {formatTime(s.start, locale, config.timeZone)}–{formatTime(s.end, locale, config.timeZone)}
                  </th>
                  <td>{t('resource.slotsFree', { free: s.free, capacity: r.capacity })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <WeekView resource={r} from={day} refresh={booked} onPick={(d) => { setDay(d); document.getElementById('day')?.focus(); }} />
    </>
  );
}

/** Seven days from the chosen one at a glance: free places per start time, a day's column a click from booking. */
function WeekView({ resource, from, refresh, onPick }: { resource: Resource; from: string; refresh: unknown; onPick: (day: string) => void }) {
  const { t, api, locale, config } = useApp();
  const week = useLoad(
    () => api.get<{ slots: Slot[] }>(`/resources/${encodeURIComponent(resource.id)}/availability?date=${from}&days=7`),
    [resource.id, from], [refresh],
  );
  const grid = week.data ? weekGrid(week.data.slots, config.timeZone) : undefined;
  const dayLabel = (d: string) => new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`));
  return (
    <section aria-labelledby="week">
      <h2 id="week">{t('resource.week')}</h2>
      {week.loading && <Loading />}
      {week.error !== undefined && <ErrorMessage error={week.error} />}
      {grid && grid.times.length === 0 && <p>{t('resource.closed')}</p>}
      {grid && grid.times.length > 0 && (
        <>
          {/* The table's title is a paragraph outside the region that scrolls, not its caption (as wide as the table):
              text reflows to the screen's width, only the grid itself needs both dimensions (WCAG 1.4.10). */}
          <p id="week-caption" class="caption">{t('resource.weekTable', { capacity: resource.capacity })}</p>
          <div class="scroll" tabIndex={0} role="region" aria-labelledby="week">
            <table class="week" aria-labelledby="week-caption">
              <thead>
                <tr>
                  <th scope="col">{t('resource.time')}</th>
                  {grid.days.map((d) => (
                    <th scope="col" key={d}>
                      <button type="button" class="link" onClick={() => onPick(d)}>
                        <span class="sr-only">{t('resource.pickDay')} </span>
                        {dayLabel(d)}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.times.map((at) => (
                  <tr key={at}>
                    <th scope="row">{at}</th>
                    {grid.days.map((d) => {
                      const s = grid.cell(d, at);
                      return (
                        <td key={d} class={!s ? 'closed' : s.free === 0 ? 'full' : 'free'}>
                          {!s ? (<><span aria-hidden="true">·</span><span class="sr-only">{t('resource.cellClosed')}</span></>) : s.free}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function BookingsPage() {
  const { t, api, session, locale, config } = useApp();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = useLoad(async () => {
    if (!session) return undefined;
    const bookings = await api.get<Page<Booking>>('/bookings/mine?limit=50');
    const names = new Map<string, string>();
    await Promise.all(
      [...new Set(bookings.items.map((b) => b.resourceId))].map((rid) =>
        api.get<Resource>(`/resources/${encodeURIComponent(rid)}`).then((r) => names.set(rid, r.name), () => undefined),
      ),
    );
    return { bookings: bookings.items, names };
  }, [session]);
  const title = t('bookings.title');
  if (!session) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      {list.data && list.data.bookings.length === 0 && <p>{t('common.none')}</p>}
      <ul class="list">
        {list.data?.bookings.map((b) => {
          const when = t('bookings.when', { start: formatDateTime(b.start, locale, config.timeZone), end: formatTime(b.end, locale, config.timeZone) });
          return (
            <li key={b.id} class="item">
              <h2>{list.data!.names.get(b.resourceId) ?? b.resourceId}</h2>
              <p>{when}</p>
              <p>
                <span class={`badge s-${b.status.toLowerCase()}`}>{t(`status.${b.status}` as Key)}</span> · {t('bookings.units', { n: b.units })}
              </p>
              {checkInOpen(b, new Date()) && (
                <button
                  type="button"
                  class="button small"
                  onClick={async () => {
                    setError(undefined);
                    try {
                      await api.post(`/bookings/${encodeURIComponent(b.id)}/check-in`, undefined, newIdempotencyKey());
                      setMessage(t('bookings.checkedIn'));
                      list.reload();
                    } catch (e) {
                      setError(e);
                    }
                  }}
                >
                  {t('bookings.checkIn')}
                </button>
              )}{' '}
              {(b.status === 'CONFIRMED' || b.status === 'PENDING') && new Date(b.start) > new Date() && (
                <button
                  type="button"
                  class="button secondary small"
                  onClick={async () => {
                    setError(undefined);
                    try {
                      await api.post(`/bookings/${encodeURIComponent(b.id)}/cancel`);
                      setMessage(t('bookings.cancelled'));
                      list.reload();
                    } catch (e) {
                      setError(e);
                    }
                  }}
                >
                  {t('bookings.cancel', { when: formatDateTime(b.start, locale, config.timeZone) })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <CalendarLink />
    </>
  );
}

/** Check-in opens 15 minutes before a confirmed booking starts and closes at its end (the API is the judge). */
export function checkInOpen(b: Pick<Booking, 'status' | 'start' | 'end'>, now: Date): boolean {
  return b.status === 'CONFIRMED' && now.getTime() >= new Date(b.start).getTime() - 15 * 60_000 && now < new Date(b.end);
}

/** A secret iCalendar feed of my bookings for my calendar app; asking again replaces the link. */
function CalendarLink() {
  const { t, api } = useApp();
  const [feed, setFeed] = useState<CalendarFeed>();
  const [error, setError] = useState<unknown>();
  const ask = async () => {
    setError(undefined);
    try {
      setFeed(await api.post<CalendarFeed>('/bookings/calendar-feed', undefined, newIdempotencyKey()));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="panel" aria-labelledby="calendar">
      <h2 id="calendar">{t('bookings.calendar')}</h2>
      <p>{t('bookings.calendarIntro')}</p>
      {feed?.url ? (
        <>
          <label for="feed-url">{t('bookings.calendarUrl')}</label>
          <input id="feed-url" type="text" readOnly value={feed.url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
          <p class="muted">{t('bookings.calendarOnce')}</p>
          <p>
            <a href={feed.url.replace(/^https?:/, 'webcal:')}>{t('bookings.calendarOpen')}</a>
          </p>
        </>
      ) : (
        <button type="button" class="button secondary" onClick={ask}>
          {t('bookings.calendarAsk')}
        </button>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </section>
  );
}


/** One booking, the page a calendar event links back to (its iCalendar URL): what, when, its status. */
export function BookingPage({ id }: { id: string }) {
  const { t, api, session, locale, config } = useApp();
  const data = useLoad(async () => {
    if (!session) return undefined;
    const b = await api.get<Booking>(`/bookings/${encodeURIComponent(id)}`);
    const r = await api.get<Resource>(`/resources/${encodeURIComponent(b.resourceId)}`).catch(() => undefined);
    return { b, r };
  }, [id, session]);
  const title = t('booking.title');
  return (
    <>
      <p>
        <a href="#/bookings">← {t('bookings.title')}</a>
      </p>
      {!session && (
        <>
          <PageTitle title={title}>{title}</PageTitle>
          <SignInPrompt />
        </>
      )}
      {data.loading && session && <Loading />}
      {data.error !== undefined && <ErrorMessage error={data.error} />}
      {data.data && (
        <>
          <PageTitle title={data.data.r?.name ?? title}>{data.data.r?.name ?? title}</PageTitle>
          <p>{t('bookings.when', { start: formatDateTime(data.data.b.start, locale, config.timeZone), end: formatTime(data.data.b.end, locale, config.timeZone) })}</p>
          <p>
            <span class={`badge s-${data.data.b.status.toLowerCase()}`}>{t(`status.${data.data.b.status}` as Key)}</span> · {t('bookings.units', { n: data.data.b.units })}
          </p>
          {data.data.r && (
            <p>
              <a href={`#/resources/${encodeURIComponent(data.data.r.id)}`}>{t('booking.resource')}</a>
            </p>
          )}
        </>
      )}
    </>
  );
}
