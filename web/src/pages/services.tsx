import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, query, type Evaluation, type Page, type Service, type Summary } from '../api';
import { hasRole } from '../auth';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { offlineFailure } from '../outbox';
import { CATEGORIES, formatDateTime, formatNumber, histogramRows } from '../format';
import type { Key } from '../i18n';
import { href } from '../router';

export function CataloguePage({ kind, category }: { kind?: string; category?: string }) {
  const { t, api, session } = useApp();
  const [extra, setExtra] = useState<{ items: Service[]; next?: string }>({ items: [] });
  const page = useLoad(async () => {
    setExtra({ items: [] });
    return session ? api.get<Page<Service>>(`/services${query({ kind, limit: 50 })}`) : undefined;
  }, [kind, session]);
  const title = t('services.title');
  if (!session) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  const all = [...(page.data?.items ?? []), ...extra.items];
  // The API filters by kind; the category is filtered here (the API has no category filter yet).
  const shown = category ? all.filter((s) => s.category === category) : all;
  const next = extra.next ?? page.data?.nextToken;
  const more = async () => {
    const res = await api.get<Page<Service>>(`/services${query({ kind, limit: 50, nextToken: next })}`);
    setExtra({ items: [...extra.items, ...res.items], next: res.nextToken ?? '' });
  };
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <form
        class="filters"
        onSubmit={(e) => e.preventDefault()}
        onChange={(e) => {
          const form = (e.currentTarget as HTMLFormElement).elements;
          const k = (form.namedItem('kind') as HTMLSelectElement).value;
          const c = (form.namedItem('category') as HTMLSelectElement | null)?.value;
          location.hash = href('/services', { kind: k, category: k && c && CATEGORIES[k]?.includes(c) ? c : undefined });
        }}
      >
        <div class="field">
          <label for="kind">{t('services.kind')}</label>
          <select id="kind" name="kind" value={kind ?? ''}>
            <option value="">{t('services.all')}</option>
            {Object.keys(CATEGORIES).map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}` as Key)}
              </option>
            ))}
          </select>
        </div>
        {kind && CATEGORIES[kind] && (
          <div class="field">
            <label for="category">{t('services.category')}</label>
            <select id="category" name="category" value={category ?? ''}>
              <option value="">{t('services.all')}</option>
              {CATEGORIES[kind]!.map((c) => (
                <option key={c} value={c}>
                  {t(`cat.${c}` as Key)}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      {page.loading && <Loading />}
      {page.error !== undefined && <ErrorMessage error={page.error} />}
      {page.data && (
        <>
          <p role="status">{t('services.count', { count: shown.length })}</p>
          <ul class="list">
            {shown.map((s) => (
              <li key={s.id} class="item">
                <h2>
                  <a href={`#/services/${encodeURIComponent(s.id)}`}>{s.name}</a>
                </h2>
                <p class="muted">
                  {t(`kind.${s.kind}` as Key)} · {t(`cat.${s.category}` as Key)}
                  {s.experimental && ` · ${t('services.experimental')}`}
                </p>
              </li>
            ))}
          </ul>
          {next && (
            <button type="button" class="button secondary" onClick={more}>
              {t('common.more')}
            </button>
          )}
        </>
      )}
    </>
  );
}

function Histogram({ summary }: { summary: Summary }) {
  const { t, locale } = useApp();
  if (summary.count === 0) return <p>{t('service.noRatings')}</p>;
  return (
    <>
      <p class="average">{t('service.average', { avg: formatNumber(summary.average ?? 0, locale), count: summary.count })}</p>
      <table class="histogram">
        <caption>{t('service.histogram')}</caption>
        <tbody>
          {histogramRows(summary).map((row) => (
            <tr key={row.stars}>
              <th scope="row">{t('service.stars', { n: row.stars })}</th>
              <td>
                <span class="meter" aria-hidden="true">
                  <span style={{ width: `${row.percent}%` }} />
                </span>
              </td>
              <td class="num">
                {row.count} ({row.percent} %)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Stars({ n }: { n: number }) {
  const { t } = useApp();
  return (
    <span class="stars" role="img" aria-label={t('service.ratingValue', { n })}>
      {'★'.repeat(n)}
      {'☆'.repeat(5 - n)}
    </span>
  );
}

function RateForm({ serviceId, mine, onDone }: { serviceId: string; mine?: Evaluation; onDone: (msg: string) => void }) {
  const { t, api, queue } = useApp();
  const [rating, setRating] = useState<number>(mine?.rating ?? 0);
  // Made when the evaluation is written, so a retry or a replay from the outbox records it once.
  const [key] = useState(newIdempotencyKey);
  const [comment, setComment] = useState(mine?.comment ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = comment.trim() ? { rating, comment: comment.trim() } : { rating };
    try {
      if (mine) await api.put(`/services/${encodeURIComponent(serviceId)}/evaluations/mine`, body);
      else await api.post(`/services/${encodeURIComponent(serviceId)}/evaluations`, body, key);
      onDone(t('service.saved'));
    } catch (err) {
      if (!mine && offlineFailure(err)) {
        const label = `${t('service.stars', { n: rating })}${body.comment ? ` — ${body.comment.slice(0, 60)}` : ''}`;
        try {
          await queue({ key, kind: 'evaluation', path: `/services/${encodeURIComponent(serviceId)}/evaluations`, body, label });
          onDone(t('service.queued'));
        } catch (e) {
          setError(e);
        }
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async () => {
    try {
      await api.delete(`/services/${encodeURIComponent(serviceId)}/evaluations/mine`);
      onDone(t('service.withdrawn'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h2>{mine ? t('service.editRating') : t('service.rate')}</h2>
      {mine?.hidden && <p class="notice">{t('service.hidden', { reason: mine.hiddenReason ?? '' })}</p>}
      <fieldset class="rating">
        <legend>{t('service.rating')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input type="radio" name="rating" value={n} checked={rating === n} required onChange={() => setRating(n)} />
            {t('service.stars', { n })}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="comment">{t('service.comment')}</label>
        <textarea id="comment" maxLength={1000} rows={4} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      <div class="actions">
        <button type="submit" class="button" disabled={busy || rating === 0}>
          {mine ? t('service.update') : t('service.submit')}
        </button>
        {mine && (
          <button type="button" class="button secondary" onClick={withdraw}>
            {t('service.withdraw')}
          </button>
        )}
      </div>
    </form>
  );
}

export function ServicePage({ id }: { id: string }) {
  const { t, api, session, locale, config } = useApp();
  const [message, setMessage] = useState<string>();
  const data = useLoad(async () => {
    if (!session) return undefined;
    const path = `/services/${encodeURIComponent(id)}`;
    const [service, evaluations, mine] = await Promise.all([
      api.get<Service>(path),
      api.get<Page<Evaluation> & { summary: Summary }>(`${path}/evaluations?limit=20`),
      hasRole(session, 'resident')
        ? api.get<Evaluation>(`${path}/evaluations/mine`).catch((e) => {
            // 404: none yet. Offline with no cached answer (a 404 is not cached): the page still shows what it has,
            // and a new evaluation goes to the outbox.
            if (e instanceof ApiError && (e.status === 404 || e.status === 0)) return undefined;
            throw e;
          })
        : Promise.resolve(undefined),
    ]);
    return { service, evaluations, mine };
  }, [id, session]);
  if (!session) {
    return (
      <>
        <PageTitle title={t('services.title')}>{t('services.title')}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  if (data.loading && !data.data) return <Loading />;
  if (data.error !== undefined) return <ErrorMessage error={data.error} />;
  const { service, evaluations, mine } = data.data!;
  return (
    <>
      <p>
        <a href="#/services">← {t('services.title')}</a>
      </p>
      <PageTitle title={service.name}>{service.name}</PageTitle>
      <p class="muted">
        {t(`kind.${service.kind}` as Key)} · {t(`cat.${service.category}` as Key)}
      </p>
      {service.description && <p>{service.description}</p>}
      {service.organisationId && <p>{t('service.operator', { org: service.organisationId })}</p>}
      {service.districts && service.districts.length > 0 && <p>{t('service.districts', { list: service.districts.join(', ') })}</p>}
      <section aria-labelledby="summary">
        <h2 id="summary">{t('service.summary')}</h2>
        <Histogram summary={evaluations.summary} />
      </section>
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {hasRole(session, 'resident') ? (
        <RateForm
          key={`${mine?.updatedAt ?? 'new'}`}
          serviceId={service.id}
          mine={mine}
          onDone={(m) => {
            setMessage(m);
            data.reload();
          }}
        />
      ) : (
        <p class="muted">{t('service.residentsOnly')}</p>
      )}
      <section aria-labelledby="evaluations">
        <h2 id="evaluations">{t('service.evaluations')}</h2>
        {evaluations.items.length === 0 && <p>{t('common.none')}</p>}
        <ul class="list">
          {evaluations.items.map((e) => (
            <li key={e.handle} class="item">
              <p>
                <Stars n={e.rating} /> {e.createdAt && <span class="muted">{formatDateTime(e.createdAt, locale, config.timeZone)}</span>}
                {e.mine && <strong> · {t('service.mine')}</strong>}
              </p>
              {e.comment && <p>{e.comment}</p>}
              {e.reply && (
                <blockquote>
                  <p class="muted">{t('service.reply')}</p>
                  <p>{e.reply}</p>
                </blockquote>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
