/**
 * Moderation (agents): a service's evaluations, a consultation's proposals and their comments, each hidden with a
 * public reason (POST …/hide). Hidden content stays stored, leaves the lists residents see and the summaries, and its
 * author sees the reason (docs/api.md). The most flagged proposals come first.
 */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, type Comment, type Consultation, type Evaluation, type Page, type Proposal, type Service, type Summary } from '../api';
import { ErrorMessage, Loading, SelectField, StatusLine, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime } from '../format';

export function ModerationPage() {
  return (
    <>
      <EvaluationsModeration />
      <ProposalsModeration />
    </>
  );
}

/** A reason asked for, then the hide request; one Idempotency-Key per intended hiding, so a retried click hides once. */
function HideForm({ id, label, minLength, hide }: { id: string; label: string; minLength: number; hide: (reason: string, key: string) => Promise<void> }) {
  const { t } = useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await hide(reason.trim(), key);
      setKey(newIdempotencyKey());
      setReason('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="row" onSubmit={submit}>
      <div class="field grow">
        <label for={id}>{t('moderation.reason')}</label>
        <input id={id} type="text" required minLength={minLength} maxLength={500} value={reason}
          onInput={(e) => { setReason((e.target as HTMLInputElement).value); setKey(newIdempotencyKey()); }} />
      </div>
      <button type="submit" class="button secondary" disabled={busy || reason.trim().length < minLength}>
        {label}
      </button>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

function EvaluationsModeration() {
  const { t, api, locale, config } = useApp();
  const services = useLoad(() => api.get<Page<Service>>('/services?limit=100'), []);
  const [serviceId, setServiceId] = useState('');
  const [done, setDone] = useState<string>();
  const [changed, setChanged] = useState(0);
  const evaluations = useLoad(
    async () => (serviceId ? api.get<Page<Evaluation> & { summary: Summary }>(`/services/${encodeURIComponent(serviceId)}/evaluations?limit=100`) : undefined),
    [serviceId], [changed],
  );
  const items = evaluations.data?.items ?? [];
  return (
    <section aria-labelledby="m-evaluations">
      <h2 id="m-evaluations">{t('moderation.evaluations')}</h2>
      {services.error !== undefined && <ErrorMessage error={services.error} />}
      <SelectField id="m-service" label={t('moderation.service')} value={serviceId} disabled={!services.data} none={t('moderation.chooseService')}
        choices={services.data?.items.map((s) => ({ value: s.id, label: s.name })) ?? []}
        onPick={(v) => { setServiceId(v); setDone(undefined); }} />
      <StatusLine tone="success" text={done} />
      {serviceId && evaluations.loading && <Loading />}
      {evaluations.error !== undefined && <ErrorMessage error={evaluations.error} />}
      <StatusLine tone="muted" text={evaluations.data && t('moderation.evaluationCount', { count: items.length })} />
      <ul class="list" aria-labelledby="m-evaluations">
        {items.map((e) => (
          <li key={e.handle} class="item">
            <p>
              <strong>{t('moderation.stars', { rating: e.rating })}</strong>{' '}
              <span class="muted">
                {e.handle} · {e.createdAt && formatDateTime(e.createdAt, locale, config.timeZone)}
              </span>
            </p>
            {e.comment && <blockquote>{e.comment}</blockquote>}
            {e.handle && (
              <HideForm id={`hide-e-${e.handle}`} label={t('moderation.hideEvaluation')} minLength={1}
                hide={async (reason, key) => {
                  await api.post(`/services/${encodeURIComponent(serviceId)}/evaluations/${encodeURIComponent(e.handle!)}/hide`, { reason }, key);
                  setDone(t('moderation.evaluationHidden'));
                  setChanged((n) => n + 1);
                }} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

type ProposalItem = { proposal: Proposal; needsAnswer: boolean; mine: boolean };

function ProposalsModeration() {
  const { t, api } = useApp();
  const consultations = useLoad(async () => (await api.get<Page<Consultation>>('/consultations?limit=50')).items.filter((c) => c.consultation.kind === 'PROPOSALS'), []);
  const [consultationId, setConsultationId] = useState('');
  const [done, setDone] = useState<string>();
  const [changed, setChanged] = useState(0);
  const proposals = useLoad(
    async () => (consultationId ? api.get<{ items: ProposalItem[] }>(`/consultations/${encodeURIComponent(consultationId)}/proposals`) : undefined),
    [consultationId], [changed],
  );
  // The most flagged first: what residents asked to be looked at.
  const items = [...(proposals.data?.items ?? [])].sort((a, b) => (b.proposal.flags ?? 0) - (a.proposal.flags ?? 0));
  const onHidden = (message: string) => {
    setDone(message);
    setChanged((n) => n + 1);
  };
  return (
    <section aria-labelledby="m-proposals">
      <h2 id="m-proposals">{t('moderation.proposals')}</h2>
      {consultations.error !== undefined && <ErrorMessage error={consultations.error} />}
      <SelectField id="m-consultation" label={t('moderation.consultation')} value={consultationId} disabled={!consultations.data}
        none={t('moderation.chooseConsultation')}
        choices={consultations.data?.map((c) => ({ value: c.consultation.id, label: c.consultation.title })) ?? []}
        onPick={(v) => { setConsultationId(v); setDone(undefined); }} />
      <StatusLine tone="success" text={done} />
      {consultationId && proposals.loading && <Loading />}
      {proposals.error !== undefined && <ErrorMessage error={proposals.error} />}
      <StatusLine tone="muted" text={proposals.data && t('moderation.proposalCount', { count: items.length })} />
      <ul class="list" aria-labelledby="m-proposals">
        {items.map(({ proposal: p }) => (
          <li key={p.id} class="item">
            <h3>{p.title}</h3>
            <p>
              {p.hidden && <span class="badge">{t('moderation.hidden')}</span>}{' '}
              <span class="muted">{t('moderation.flags', { count: p.flags ?? 0 })} · {t('proposals.comments', { count: p.comments })}</span>
            </p>
            {p.body && <p>{p.body}</p>}
            {p.hidden ? (
              p.hiddenReason && <p class="muted">{t('moderation.hiddenBecause', { reason: p.hiddenReason })}</p>
            ) : (
              <HideForm id={`hide-p-${p.id}`} label={t('moderation.hideProposal')} minLength={3}
                hide={async (reason, key) => {
                  await api.post(`/consultations/${encodeURIComponent(consultationId)}/proposals/${encodeURIComponent(p.id)}/hide`, { reason }, key);
                  onHidden(t('moderation.proposalHidden', { title: p.title ?? '' }));
                }} />
            )}
            {p.comments > 0 && <CommentsModeration key={p.id} refresh={changed} path={`/consultations/${encodeURIComponent(consultationId)}/proposals/${encodeURIComponent(p.id)}`} title={p.title ?? ''} onHidden={onHidden} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CommentsModeration({ path, title, refresh, onHidden }: { path: string; title: string; refresh: number; onHidden: (message: string) => void }) {
  const { t, api, locale, config } = useApp();
  const [open, setOpen] = useState(false);
  const comments = useLoad(async () => (open ? api.get<Page<Comment>>(`${path}/comments?limit=200`) : undefined), [path, open], [refresh]);
  return (
    <div class="comments">
      <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('moderation.hideComments') : t('moderation.showComments', { title })}
      </button>
      {open && comments.loading && <Loading />}
      {comments.error !== undefined && <ErrorMessage error={comments.error} />}
      {open && comments.data && (
        <ul>
          {comments.data.items.map((c) => (
            <li key={c.id}>
              <p>
                {c.text}{' '}
                <span class="muted">
                  {c.createdAt && formatDateTime(c.createdAt, locale, config.timeZone)} · {t('moderation.flags', { count: c.flags })}
                </span>
              </p>
              {c.hidden ? (
                <p class="muted">
                  <span class="badge">{t('moderation.hidden')}</span> {c.hiddenReason && t('moderation.hiddenBecause', { reason: c.hiddenReason })}
                </p>
              ) : (
                <HideForm id={`hide-c-${c.id}`} label={t('moderation.hideComment')} minLength={3}
                  hide={async (reason, key) => {
                    await api.post(`${path}/comments/${encodeURIComponent(c.id)}/hide`, { reason }, key);
                    onHidden(t('moderation.commentHidden'));
                  }} />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
