import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type Page, type Photo, type PhotoUpload, type ReopenRequest, type Report, type ResolutionCheck, type Service } from '../api';
import { hasRole } from '../auth';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { offlineFailure } from '../outbox';
import { formatDateTime } from '../format';
import type { Key, T } from '../i18n';
import { PHOTO_ACCEPT, preparePhoto, type Prepared } from '../photo';

interface HistoryStep {
  at: string;
  actorRole?: string;
  from?: string;
  to: string;
  note?: string;
  reason?: string;
}

/**
 * One step of a report's history, after its date: the state it reached, then what was said. The step that created the
 * report (no `from`) carries the API's internal note `reported`, so it is told with the catalogues' phrase instead; an
 * agent's public note, or a resident's words when it reopens, are shown as written.
 */
export function historyStep(step: Pick<HistoryStep, 'from' | 'to' | 'note'>, t: T): string {
  const status = t(`status.${step.to}` as Key);
  const note = step.from ? step.note?.trim() : t('report.historyCreated');
  return note ? t('report.historyNote', { status, note }) : status;
}

/** Parses a coordinate typed with a decimal point or a French decimal comma; undefined when empty or out of range. */
export function coordinate(text: string, max: number): number | undefined {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() === '' || !Number.isFinite(n) || Math.abs(n) > max ? undefined : n;
}

/** What a report is called in a list: its description, or a plain phrase when it has none (Open311 makes it optional). */
export function reportHeading(report: Pick<Report, 'description'>, t: T): string {
  const text = report.description?.trim();
  return text ? text : t('report.noDescription');
}

/**
 * Reporting a problem without a map: the place is typed (an address, or coordinates), the
 * open reports of that service within 50 m are offered to follow before a new one is filed.
 */
export function ReportPage() {
  const { t, api, session, queue } = useApp();
  const services = useLoad(async () => (session ? api.get<Page<Service>>('/services?limit=100') : undefined), [session]);
  const [serviceId, setServiceId] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [nearby, setNearby] = useState<Report[]>();
  const [followed, setFollowed] = useState<string>();
  const [filed, setFiled] = useState<Report>();
  const [queued, setQueued] = useState(false);
  const [error, setError] = useState<unknown>();
  // Made when the report is written, so a retry of the same report files it once.
  const [key, setKey] = useState(newIdempotencyKey);
  const title = t('report.title');
  if (!session) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  if (!hasRole(session, 'resident')) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p>{t('report.residentsOnly')}</p>
      </>
    );
  }
  const latitude = coordinate(lat, 90);
  const longitude = coordinate(lon, 180);
  const located = latitude !== undefined && longitude !== undefined;
  const file = async () => {
    setError(undefined);
    try {
      const body: Record<string, unknown> = { serviceId, description: description.trim(), contactPreference: 'NONE' };
      if (located) Object.assign(body, { latitude, longitude });
      if (address.trim()) body.address = address.trim();
      try {
        setFiled(await api.post<Report>('/reports', body, key));
      } catch (e) {
        if (!offlineFailure(e)) throw e;
        // No answer: offline, or the answer was lost. Kept with the same key, so the API files it once either way.
        await queue({ key, kind: 'report', path: '/reports', body, label: description.trim().slice(0, 80) });
        setQueued(true);
      }
      setKey(newIdempotencyKey());
    } catch (e) {
      setError(e);
    }
  };
  const check = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setFollowed(undefined);
    if (!located) return void file();
    try {
      const found = await api.get<{ items: Report[] }>(`/reports/nearby?serviceId=${encodeURIComponent(serviceId)}&latitude=${latitude}&longitude=${longitude}`);
      if (found.items.length === 0) return void file();
      setNearby(found.items);
    } catch (err) {
      // Offline the nearby reports cannot be asked for: the report is kept and sent later, as without a position.
      if (offlineFailure(err)) return void file();
      setError(err);
    }
  };
  const follow = async (id: string) => {
    setError(undefined);
    try {
      await api.post(`/reports/${encodeURIComponent(id)}/follow`);
      setFollowed(id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setFollowed(id);
      else setError(err);
    }
  };
  if (queued) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <div class="notice offline" role="status">
          <p>{t('report.queued')}</p>
          <p>
            <a href="#/reports/mine">{t('nav.myReports')}</a>
          </p>
        </div>
      </>
    );
  }
  if (filed) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <div class="notice success" role="status">
          <p>{t('report.filed', { status: t(`status.${filed.status}` as Key) })}</p>
          <p>
            <a href="#/reports/mine">{t('nav.myReports')}</a>
          </p>
        </div>
      </>
    );
  }
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>{t('report.intro')}</p>
      <p>
        <a href="#/reports/mine">{t('nav.myReports')}</a>
      </p>
      {services.error !== undefined && <ErrorMessage error={services.error} />}
      <form class="panel" onSubmit={check}>
        <div class="field">
          <label for="service">{t('report.service')}</label>
          <select id="service" required value={serviceId} onChange={(e) => { setServiceId((e.target as HTMLSelectElement).value); setNearby(undefined); }}>
            <option value="">{t('report.chooseService')}</option>
            {services.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="description">{t('report.description')}</label>
          <textarea id="description" required minLength={10} maxLength={2000} rows={4} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
        </div>
        <div class="field">
          <label for="address">{t('report.address')}</label>
          <input id="address" type="text" autoComplete="address-line1" value={address} onInput={(e) => setAddress((e.target as HTMLInputElement).value)} />
        </div>
        <fieldset>
          <legend>{t('report.position')}</legend>
          <div class="row">
            <div class="field">
              <label for="lat">{t('report.latitude')}</label>
              <input id="lat" type="text" inputMode="decimal" value={lat} onInput={(e) => { setLat((e.target as HTMLInputElement).value); setNearby(undefined); }} />
            </div>
            <div class="field">
              <label for="lon">{t('report.longitude')}</label>
              <input id="lon" type="text" inputMode="decimal" value={lon} onInput={(e) => { setLon((e.target as HTMLInputElement).value); setNearby(undefined); }} />
            </div>
          </div>
        </fieldset>
        {error !== undefined && <ErrorMessage error={error} />}
        {!nearby && (
          <button type="submit" class="button" disabled={!serviceId || description.trim().length < 10 || (!located && !address.trim())}>
            {t('report.continue')}
          </button>
        )}
      </form>
      {nearby && (
        <section class="panel" aria-labelledby="nearby">
          <h2 id="nearby">{t('report.nearby', { count: nearby.length })}</h2>
          <ul class="list">
            {nearby.map((r) => (
              <li key={r.id} class="item">
                <p>{reportHeading(r, t)}</p>
                <p class="muted">
                  {t(`status.${r.status}` as Key)} · {t('map.followers', { count: r.followers ?? 0 })}
                </p>
                {followed === r.id ? (
                  <p role="status">{t('report.following')}</p>
                ) : (
                  <button type="button" class="button secondary small" onClick={() => void follow(r.id)}>
                    {t('report.follow')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" class="button" onClick={() => void file()}>
            {t('report.fileAnyway')}
          </button>
        </section>
      )}
    </>
  );
}

export function MyReportsPage() {
  const { t, api, session, locale, config } = useApp();
  const list = useLoad(async () => {
    if (!session) return undefined;
    const mine = await api.get<Page<Report>>('/reports/mine?limit=20');
    return Promise.all(mine.items.map((r) =>
      api.get<{ report: Report; history: HistoryStep[] }>(`/reports/${encodeURIComponent(r.id)}`).then((v) => v, () => ({ report: r, history: [] as HistoryStep[] }))));
  }, [session]);
  const title = t('nav.myReports');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {list.loading && session && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      {list.data && list.data.length === 0 && <p>{t('common.none')}</p>}
      <ul class="list">
        {list.data?.map(({ report: r, history }) => (
          <li key={r.id} class="item">
            <h2>
              <a href={`#/reports/${encodeURIComponent(r.id)}`}>{reportHeading(r, t)}</a>
            </h2>
            <p>
              <span class="badge">{t(`status.${r.status}` as Key)}</span> {r.createdAt && <span class="muted">{formatDateTime(r.createdAt, locale, config.timeZone)}</span>}
            </p>
            {r.status === 'RESOLVED' && <ResolutionQuestion report={r} />}
            <ReportPhotos report={r} author />
            {history.length > 0 && (
              <ol class="history" aria-label={t('report.history')}>
                {history.map((h) => (
                  <li key={h.at + h.to}>
                    {formatDateTime(h.at, locale, config.timeZone)} — {historyStep(h, t)}
                    {h.reason && ` (${h.reason})`}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

const MAX_PHOTOS = 3;
const REFUSALS = { type: 'report.photoWrongType', size: 'report.photoTooLarge' } as const;

/**
 * A report's photos: the published ones as thumbnails linking to the full photo; for its author the
 * pending, refused and hidden ones with their reason, and a form that sends a new one straight to S3
 * with the presigned POST the API answers (docs/api.md, "Photos of reports"), then waits for its processing.
 */
export function ReportPhotos({ report, author }: { report: Report; author?: boolean }) {
  const { t, api } = useApp();
  const path = `/reports/${encodeURIComponent(report.id)}/photos`;
  const photos = useLoad(() => api.get<{ items: Photo[] }>(path), [report.id]);
  // The picked file as it will be sent (announced as the type its bytes are), or why it cannot be.
  const [prepared, setPrepared] = useState<Prepared>();
  const [preparing, setPreparing] = useState(false);
  const picks = useRef(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [failed, setFailed] = useState<number>();
  const [heicRefused, setHeicRefused] = useState(false);
  const items = photos.data?.items ?? [];
  const pending = items.some((p) => p.status === 'PENDING');
  // The processing takes a few seconds: asked again every 2 s while a photo is pending.
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => photos.reload(), 2000);
    return () => clearTimeout(timer);
  }, [pending, photos.data]);
  const taken = items.filter((p) => p.status !== 'REFUSED').length;
  const pick = async (picked: File | undefined) => {
    const n = ++picks.current;
    setPrepared(undefined);
    setFailed(undefined);
    setError(undefined);
    setHeicRefused(false);
    setPreparing(picked !== undefined);
    if (!picked) return;
    try {
      const ready = await preparePhoto(picked);
      // Only the last file picked counts: an earlier one still being read is dropped.
      if (n === picks.current) setPrepared(ready);
    } catch (err) {
      if (n === picks.current) setError(err);
    } finally {
      if (n === picks.current) setPreparing(false);
    }
  };
  const send = async (e: Event) => {
    e.preventDefault();
    if (prepared?.kind !== 'ready') return;
    const file = prepared;
    setError(undefined);
    setFailed(undefined);
    setHeicRefused(false);
    setBusy(true);
    try {
      const upload = await api.post<PhotoUpload>(path, { contentType: file.type }, newIdempotencyKey());
      const form = new FormData();
      // The policy's fields as they are, then the file last: S3 ignores any field after it.
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append('file', file.file, file.name);
      let res: Response | undefined;
      try {
        res = await fetch(upload.url, { method: 'POST', body: form });
      } catch {
        res = undefined;
      }
      if (!res || !res.ok) setFailed(res?.status ?? 0);
      picks.current++;
      setPrepared(undefined);
      setPreparing(false);
      (e.target as HTMLFormElement).reset();
      photos.reload();
    } catch (err) {
      // A territory that turned HEIC off (HeicPhotos=refused) answers 400 on contentType: said in the reader's
      // language, with the ways to a JPEG, rather than the API's English detail.
      if (file.type === 'image/heic' && err instanceof ApiError && err.status === 400
        && (err.problem.errors ?? []).some((f) => f.field === 'contentType')) setHeicRefused(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const published = items.filter((p) => p.status === 'PUBLISHED' && p.url && p.thumbnailUrl);
  const others = items.filter((p) => p.status !== 'PUBLISHED');
  if (!author && published.length === 0) return null;
  const heading = reportHeading(report, t);
  const formId = `photo-${report.id}`;
  return (
    <div class="photos">
      {photos.error !== undefined && <ErrorMessage error={photos.error} />}
      {published.length > 0 && (
        <ul class="thumbnails" aria-label={t('report.photos')}>
          {published.map((p, i) => (
            <li key={p.id}>
              <a href={p.url} target="_blank" rel="noopener" aria-label={t('report.photoOpen', { n: i + 1 })}>
                <img src={p.thumbnailUrl} alt={t('report.photoAlt', { n: i + 1, report: heading })} width={160} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <ul class="photo-states">
          {others.map((p) => (
            <li key={p.id} role={p.status === 'PENDING' ? 'status' : undefined}>
              {p.status === 'PENDING' && t('report.photoPending')}
              {p.status === 'REFUSED' && t('report.photoRefused', { reason: p.reason ?? '' })}
              {p.status === 'HIDDEN' && t('report.photoHidden', { reason: p.reason ?? '' })}
            </li>
          ))}
        </ul>
      )}
      {author && photos.data && (taken >= MAX_PHOTOS ? (
        <p class="muted">{t('report.photoFull')}</p>
      ) : (
        <form onSubmit={send}>
          <div class="field">
            <label for={formId}>{t('report.photoAdd')}</label>
            {/* HEIC listed: Chromium's and Firefox's pickers offer a .heic, macOS Safari hands it over as it is (iOS Safari's
                picker may give a JPEG of it); the API decodes either. docs/decisions.md, "Report photos". */}
            <input id={formId} type="file" accept={PHOTO_ACCEPT}
              onChange={(e) => void pick((e.target as HTMLInputElement).files?.[0])} />
          </div>
          {preparing && <p role="status">{t('report.photoPreparing')}</p>}
          {prepared?.kind === 'refused' && <p role="alert">{t(REFUSALS[prepared.reason])}</p>}
          {heicRefused && <p role="alert">{t('report.photoHeicRefused')}</p>}
          {failed !== undefined && <p role="alert">{t('report.photoUploadFailed', { status: failed })}</p>}
          {error !== undefined && <ErrorMessage error={error} />}
          <button type="submit" class="button secondary small" disabled={busy || preparing || prepared?.kind !== 'ready'}>
            {t('report.photoSend')}
          </button>
        </form>
      ))}
    </div>
  );
}

/** The author's "is it really fixed?" once the check is due (GET/POST /reports/{id}/resolution-check). */
function ResolutionQuestion({ report }: { report: Report }) {
  const { t, api } = useApp();
  const path = `/reports/${encodeURIComponent(report.id)}/resolution-check`;
  const check = useLoad(() => api.get<ResolutionCheck>(path).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }), [report.id]);
  const [answer, setAnswer] = useState<'YES' | 'NO' | 'PARTLY'>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  if (sent) return <p role="status">{t('check.thanks')}</p>;
  if (check.data?.state !== 'DUE') return null;
  const id = `check-${report.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!answer) return;
    setError(undefined);
    try {
      await api.post(path, comment.trim() ? { answer, comment: comment.trim() } : { answer }, newIdempotencyKey());
      setSent(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <fieldset>
        <legend>{t('check.question')}</legend>
        {(['YES', 'NO', 'PARTLY'] as const).map((a) => (
          <label key={a} class="choice">
            <input type="radio" name={id} value={a} checked={answer === a} onChange={() => setAnswer(a)} /> {t(`check.${a}` as Key)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-comment`}>{t('check.comment')}</label>
        <textarea id={`${id}-comment`} maxLength={1000} rows={2} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      <button type="submit" class="button secondary small" disabled={!answer}>
        {t('check.send')}
      </button>
    </form>
  );
}

/** One report: its state, history and photos; on a resolved one, any resident may ask the operator to reopen it. */
export function ReportViewPage({ id }: { id: string }) {
  const { t, api, session, locale, config } = useApp();
  const path = `/reports/${encodeURIComponent(id)}`;
  const view = useLoad(async () => (session ? api.get<{ report: Report; history: HistoryStep[] }>(path) : undefined), [session, id]);
  const [changed, setChanged] = useState(0);
  const requests = useLoad(async () => (session ? api.get<{ items: ReopenRequest[] }>(`${path}/reopen-requests`) : undefined), [session, id], [changed]);
  const r = view.data?.report;
  const title = r ? reportHeading(r, t) : t('report.one');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {view.loading && session && <Loading />}
      {view.error !== undefined && <ErrorMessage error={view.error} />}
      {r && (
        <>
          <p>
            <span class="badge">{t(`status.${r.status}` as Key)}</span> {r.createdAt && <span class="muted">{formatDateTime(r.createdAt, locale, config.timeZone)}</span>}
          </p>
          {r.address && <p>{r.address}</p>}
          {view.data && view.data.history.length > 0 && (
            <ol class="history" aria-label={t('report.history')}>
              {view.data.history.map((h) => (
                <li key={h.at + h.to}>
                  {formatDateTime(h.at, locale, config.timeZone)} — {historyStep(h, t)}
                </li>
              ))}
            </ol>
          )}
          <ReportPhotos report={r} />
          {requests.data && requests.data.items.length > 0 && (
            <section class="panel" aria-labelledby="reopen-requests">
              <h2 id="reopen-requests">{t('reopen.requests')}</h2>
              <ul class="list">
                {requests.data.items.map((q) => (
                  <li key={q.requestedAt} class="item">
                    <p>{q.reason}</p>
                    <p class="muted">
                      {t(`reopen.${q.state}` as Key)}
                      {q.answer && ` : ${q.answer}`}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {r.status === 'RESOLVED' && hasRole(session, 'resident') && <ReopenForm path={path} onDone={() => setChanged((n) => n + 1)} />}
        </>
      )}
    </>
  );
}

function ReopenForm({ path, onDone }: { path: string; onDone: () => void }) {
  const { t, api } = useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.post(`${path}/reopen-requests`, { reason: reason.trim() }, key);
      setKey(newIdempotencyKey());
      setSent(true);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (sent) return <p class="notice success" role="status">{t('reopen.sent')}</p>;
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="reopen">
      <h2 id="reopen">{t('reopen.ask')}</h2>
      <div class="field">
        <label for="reopen-reason">{t('reopen.reason')}</label>
        <textarea id="reopen-reason" required minLength={10} maxLength={480} rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      <button type="submit" class="button" disabled={reason.trim().length < 10}>
        {t('reopen.send')}
      </button>
    </form>
  );
}
