/**
 * The agents' and operators' desk: the reports their organisation must deal with, moved through their workflow
 * with a public note, and (agents) the consultations, from a draft to its published results. The API is the judge
 * of every rule (who may act on which organisation, which status may follow which); the page only offers what
 * should pass and shows the API's reason when it refuses.
 */
import { useState } from 'preact/hooks';
import {
  newIdempotencyKey,
  query,
  type Consultation,
  type ConsultationCommand,
  type Page,
  type Report,
  type ReportStatus,
  type Service,
  type StatusCommand,
} from '../api';
import type { components } from '../generated/openapi';
import { hasRole } from '../auth';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime, instantToZoned, nextStatuses, zonedToInstant } from '../format';
import type { Key } from '../i18n';
import { reportHeading } from './reports';
import { DeskTools } from './desk-tools';

const QUEUE: ReportStatus[] = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'DUPLICATE'];

export function DeskPage() {
  const { t, session } = useApp();
  const title = t('desk.title');
  const operator = hasRole(session, 'provider', 'agent', 'admin');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {session && !operator && <p class="notice">{t('desk.operatorsOnly')}</p>}
      {operator && <DeskTools />}
      {operator && <ReportsQueue />}
      {hasRole(session, 'agent', 'admin') && <VerificationsQueue />}
      {hasRole(session, 'agent', 'admin') && <ConsultationsDesk />}
    </>
  );
}

/**
 * The organisations the signed-in person acts for, and the one chosen: a provider its own only; an agent any organisation
 * of the catalogue (its own, if it has one, first chosen). Shared by the desk's queue and the Open311 keys page.
 */
export function useOrganisations() {
  const { api, session } = useApp();
  const agent = hasRole(session, 'agent', 'admin');
  const organisations = useLoad(async () => {
    if (!agent) return session?.organisation ? [session.organisation] : [];
    const services = await api.get<Page<Service>>('/services?limit=100');
    const ids = new Set(services.items.map((s) => s.organisationId).filter((o): o is string => !!o));
    if (session?.organisation) ids.add(session.organisation);
    return [...ids].sort();
  }, [session]);
  const [organisation, setOrganisation] = useState<string>();
  const org = organisation ?? (session?.organisation && organisations.data?.includes(session.organisation) ? session.organisation : organisations.data?.[0]);
  return { organisations, org, setOrganisation };
}

function ReportsQueue() {
  const { t, api, locale, config } = useApp();
  const { organisations, org, setOrganisation } = useOrganisations();
  const [status, setStatus] = useState<ReportStatus>('OPEN');
  const [done, setDone] = useState<string>();
  const reports = useLoad(
    async () => (org ? api.get<Page<Report>>(`/organisations/${encodeURIComponent(org)}/reports${query({ status, limit: 50 })}`) : undefined),
    [org, status], [done],
  );
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">{t('desk.reports')}</h2>
      {organisations.error !== undefined && <ErrorMessage error={organisations.error} />}
      <div class="filters">
        <div class="field">
          <label for="organisation">{t('desk.organisation')}</label>
          <select id="organisation" value={org ?? ''} disabled={!organisations.data || organisations.data.length < 2}
            onChange={(e) => setOrganisation((e.target as HTMLSelectElement).value)}>
            {organisations.data?.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="queue-status">{t('desk.status')}</label>
          <select id="queue-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as ReportStatus)}>
            {QUEUE.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as Key)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {done && (
        <p class="notice success" role="status">
          {done}
        </p>
      )}
      {reports.loading && <Loading />}
      {reports.error !== undefined && <ErrorMessage error={reports.error} />}
      {reports.data && (
        <p class="muted" role="status">
          {t('desk.count', { count: reports.data.items.length })}
        </p>
      )}
      <ul class="list">
        {reports.data?.items.map((r) => (
          <li key={r.id} class="item">
            <h3>
              <a href={`#/reports/${encodeURIComponent(r.id)}`}>{reportHeading(r, t)}</a>
            </h3>
            <p>
              <span class={`badge s-${r.status.toLowerCase()}`}>{t(`status.${r.status}` as Key)}</span>{' '}
              <span class="muted">
                {r.createdAt && `${formatDateTime(r.createdAt, locale, config.timeZone)} · `}
                {t('desk.followers', { count: r.followers })}
              </span>
            </p>
            {r.address && <p>{r.address}</p>}
            {r.latitude !== undefined && r.longitude !== undefined && (
              <p class="muted">
                {r.latitude.toFixed(5)}, {r.longitude.toFixed(5)}
              </p>
            )}
            {nextStatuses(r.status).length > 0 && (
              <StatusForm report={r} onDone={(to) => setDone(t('desk.moved', { status: t(`status.${to}` as Key) }))} />
            )}
          </li>
        ))}
      </ul>
      {org && <ReopenQueue organisation={org} />}
    </section>
  );
}

type ReopenRequest = components['schemas']['ReopenRequest'];

/** The organisation's pending reopen requests (GET /organisations/{id}/reopen-requests), each accepted or refused with a public reason. */
function ReopenQueue({ organisation }: { organisation: string }) {
  const { t, api, locale, config } = useApp();
  const [done, setDone] = useState<string>();
  const pending = useLoad(() => api.get<Page<ReopenRequest>>(`/organisations/${encodeURIComponent(organisation)}/reopen-requests?limit=50`), [organisation], [done]);
  return (
    <>
      <h3 id="reopen-queue">{t('desk.reopenRequests')}</h3>
      {done && (
        <p class="notice success" role="status">
          {done}
        </p>
      )}
      {pending.error !== undefined && <ErrorMessage error={pending.error} />}
      {pending.data && pending.data.items.length === 0 && <p class="muted">{t('common.none')}</p>}
      <ul class="list" aria-labelledby="reopen-queue">
        {pending.data?.items.map((q) => (
          <li key={q.reportId + q.requesterId} class="item">
            <p>
              <a href={`#/reports/${encodeURIComponent(q.reportId)}`}>{t('desk.reopenOf')}</a>{' '}
              <span class="muted">{formatDateTime(q.requestedAt, locale, config.timeZone)}</span>
            </p>
            <p>{q.reason}</p>
            <ReopenDecisionForm request={q} onDone={setDone} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ReopenDecisionForm({ request, onDone }: { request: ReopenRequest; onDone: (message: string) => void }) {
  const { t, api } = useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const id = `refuse-${request.reportId}-${request.requesterId}`;
  const decide = async (decision: 'ACCEPT' | 'REFUSE') => {
    setError(undefined);
    try {
      await api.post(`/reports/${encodeURIComponent(request.reportId)}/reopen-requests/${encodeURIComponent(request.requesterId ?? '')}/decision`,
        decision === 'REFUSE' ? { decision, reason: reason.trim() } : reason.trim() ? { decision, reason: reason.trim() } : { decision });
      onDone(t(decision === 'ACCEPT' ? 'desk.reopenAccepted' : 'desk.reopenRefused'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <div class="field">
        <label for={id}>{t('desk.reopenReason')}</label>
        <input id={id} type="text" maxLength={1000} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      <div class="row">
        <button type="button" class="button small" onClick={() => void decide('ACCEPT')}>
          {t('desk.reopenAccept')}
        </button>
        <button type="button" class="button secondary small" disabled={reason.trim().length < 3} onClick={() => void decide('REFUSE')}>
          {t('desk.reopenRefuse')}
        </button>
      </div>
    </div>
  );
}

function StatusForm({ report, onDone }: { report: Report; onDone: (to: string) => void }) {
  const { t, api } = useApp();
  const choices = nextStatuses(report.status) as ReportStatus[];
  const [to, setTo] = useState<ReportStatus>(choices[0]!);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // One key per intended change, so a retried click is one change and a new choice is a new one.
  const [key, setKey] = useState(newIdempotencyKey);
  const id = (name: string) => `${name}-${report.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const body: StatusCommand = { status: to };
    if (note.trim()) body.note = note.trim();
    if (to === 'REJECTED') body.reason = reason.trim();
    if (to === 'DUPLICATE') body.duplicateOf = duplicateOf.trim();
    try {
      await api.post<Report>(`/reports/${encodeURIComponent(report.id)}/status`, body, key);
      setKey(newIdempotencyKey());
      onDone(to);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="row" onSubmit={submit}>
      <div class="field">
        <label for={id('to')}>{t('desk.moveTo')}</label>
        <select id={id('to')} value={to} onChange={(e) => { setTo((e.target as HTMLSelectElement).value as ReportStatus); setKey(newIdempotencyKey()); }}>
          {choices.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as Key)}
            </option>
          ))}
        </select>
      </div>
      <div class="field grow">
        <label for={id('note')}>{t('desk.note')}</label>
        <input id={id('note')} type="text" maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </div>
      {to === 'REJECTED' && (
        <div class="field grow">
          <label for={id('reason')}>{t('desk.reason')}</label>
          <input id={id('reason')} type="text" required maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </div>
      )}
      {to === 'DUPLICATE' && (
        <div class="field grow">
          <label for={id('dup')}>{t('desk.duplicateOf')}</label>
          <input id={id('dup')} type="text" required maxLength={128} value={duplicateOf} onInput={(e) => setDuplicateOf((e.target as HTMLInputElement).value)} />
        </div>
      )}
      <button type="submit" class="button" disabled={busy}>
        {t('desk.apply')}
      </button>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

interface DraftQuestion {
  text: string;
  type: 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'SCALE' | 'FREE_TEXT';
  choices: string;
}

/** The consultation an agent's form describes, as the API takes it (the API checks every rule again). */
export function consultationCommand(
  form: { title: string; description: string; kind: ConsultationCommand['kind']; districts: string; opensAt: string; closesAt: string; liveResults: boolean; allowChange: boolean },
  questions: DraftQuestion[],
  timeZone: string,
): ConsultationCommand {
  const districts = form.districts.split(',').map((d) => d.trim()).filter(Boolean);
  const command: ConsultationCommand = {
    title: form.title.trim(),
    description: form.description.trim(),
    kind: form.kind,
    opensAt: zonedToInstant(form.opensAt, timeZone),
    closesAt: zonedToInstant(form.closesAt, timeZone),
    liveResults: form.liveResults,
    allowChange: form.allowChange,
  };
  if (districts.length > 0) command.districts = districts;
  if (form.kind !== 'PROPOSALS') {
    command.questions = questions.map((q) => {
      const choices = q.choices.split('\n').map((c) => c.trim()).filter(Boolean);
      return q.type === 'SINGLE_CHOICE' || q.type === 'MULTIPLE_CHOICE' ? { text: q.text.trim(), type: q.type, choices } : { text: q.text.trim(), type: q.type };
    });
  }
  return command;
}

function ConsultationsDesk() {
  const { t, api, locale, config } = useApp();
  const [changed, setChanged] = useState(0);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = useLoad(() => api.get<Page<Consultation>>('/consultations?limit=50'), [], [changed]);
  const act = async (c: Consultation, action: 'schedule' | 'publish-results') => {
    setError(undefined);
    try {
      await api.post(`/consultations/${encodeURIComponent(c.consultation.id)}/${action}`, undefined, newIdempotencyKey());
      setMessage(t(action === 'schedule' ? 'desk.scheduled' : 'desk.published', { title: c.consultation.title }));
      setChanged((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="desk-consultations">
      <h2 id="desk-consultations">{t('desk.consultations')}</h2>
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      {list.loading && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      <ul class="list">
        {list.data?.items.map((c) => (
          <li key={c.consultation.id} class="item">
            <h3>
              <a href={`#/consultations/${encodeURIComponent(c.consultation.id)}`}>{c.consultation.title}</a>
            </h3>
            <p>
              <span class="badge">{t(`consultations.phase.${c.phase}` as Key)}</span>{' '}
              <span class="muted">
                {formatDateTime(c.consultation.opensAt, locale, config.timeZone)} → {formatDateTime(c.consultation.closesAt, locale, config.timeZone)}
              </span>
            </p>
            <div class="actions">
              {c.phase === 'DRAFT' && (
                <button type="button" class="button secondary" onClick={() => act(c, 'schedule')}>
                  {t('desk.schedule')}
                </button>
              )}
              {c.phase === 'CLOSED' && (
                <button type="button" class="button secondary" onClick={() => act(c, 'publish-results')}>
                  {t('desk.publish')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <NewConsultation onCreated={(title) => { setMessage(t('desk.created', { title })); setChanged((n) => n + 1); }} />
    </section>
  );
}

function NewConsultation({ onCreated }: { onCreated: (title: string) => void }) {
  const { t, api, config } = useApp();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const [form, setForm] = useState({
    title: '',
    description: '',
    kind: 'POLL' as ConsultationCommand['kind'],
    districts: '',
    opensAt: instantToZoned(tomorrow, config.timeZone).slice(0, 11) + '08:00',
    closesAt: instantToZoned(new Date(tomorrow.getTime() + 14 * 86_400_000), config.timeZone).slice(0, 11) + '18:00',
    liveResults: true,
    allowChange: true,
  });
  const [questions, setQuestions] = useState<DraftQuestion[]>([{ text: '', type: 'SINGLE_CHOICE', choices: '' }]);
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(newIdempotencyKey);
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm({ ...form, [k]: v });
  const setQuestion = (i: number, q: Partial<DraftQuestion>) => setQuestions(questions.map((x, j) => (j === i ? { ...x, ...q } : x)));
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const created = await api.post<Consultation>('/consultations', consultationCommand(form, questions, config.timeZone), key);
      setKey(newIdempotencyKey());
      setForm({ ...form, title: '', description: '' });
      setQuestions([{ text: '', type: 'SINGLE_CHOICE', choices: '' }]);
      onCreated(created.consultation.title);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h3>{t('desk.newConsultation')}</h3>
      <div class="field">
        <label for="c-title">{t('desk.cTitle')}</label>
        <input id="c-title" type="text" required minLength={3} maxLength={200} value={form.title} onInput={(e) => set('title', (e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="c-description">{t('desk.cDescription')}</label>
        <textarea id="c-description" required maxLength={5000} rows={3} value={form.description} onInput={(e) => set('description', (e.target as HTMLTextAreaElement).value)} />
      </div>
      <div class="filters">
        <div class="field">
          <label for="c-kind">{t('desk.cKind')}</label>
          <select id="c-kind" value={form.kind} onChange={(e) => set('kind', (e.target as HTMLSelectElement).value as ConsultationCommand['kind'])}>
            {(['POLL', 'PROPOSALS', 'EXPERIMENT'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`desk.kind.${k}` as Key)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="c-districts">{t('desk.cDistricts')}</label>
          <input id="c-districts" type="text" value={form.districts} onInput={(e) => set('districts', (e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="c-opens">{t('desk.cOpens')}</label>
          <input id="c-opens" type="datetime-local" required value={form.opensAt} onInput={(e) => set('opensAt', (e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="c-closes">{t('desk.cCloses')}</label>
          <input id="c-closes" type="datetime-local" required value={form.closesAt} onInput={(e) => set('closesAt', (e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div class="checks">
        <label>
          <input type="checkbox" checked={form.liveResults} onChange={(e) => set('liveResults', (e.target as HTMLInputElement).checked)} /> {t('desk.cLive')}
        </label>
        <label>
          <input type="checkbox" checked={form.allowChange} onChange={(e) => set('allowChange', (e.target as HTMLInputElement).checked)} /> {t('desk.cChange')}
        </label>
      </div>
      {form.kind !== 'PROPOSALS' &&
        questions.map((q, i) => (
          <fieldset key={i}>
            <legend>{t('desk.question', { n: i + 1 })}</legend>
            <div class="field">
              <label for={`q-text-${i}`}>{t('desk.qText')}</label>
              <input id={`q-text-${i}`} type="text" required minLength={3} maxLength={500} value={q.text} onInput={(e) => setQuestion(i, { text: (e.target as HTMLInputElement).value })} />
            </div>
            <div class="field">
              <label for={`q-type-${i}`}>{t('desk.qType')}</label>
              <select id={`q-type-${i}`} value={q.type} onChange={(e) => setQuestion(i, { type: (e.target as HTMLSelectElement).value as DraftQuestion['type'] })}>
                {(['SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'SCALE', 'FREE_TEXT'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`desk.qType.${k}` as Key)}
                  </option>
                ))}
              </select>
            </div>
            {(q.type === 'SINGLE_CHOICE' || q.type === 'MULTIPLE_CHOICE') && (
              <div class="field">
                <label for={`q-choices-${i}`}>{t('desk.qChoices')}</label>
                <textarea id={`q-choices-${i}`} required rows={3} value={q.choices} onInput={(e) => setQuestion(i, { choices: (e.target as HTMLTextAreaElement).value })} />
              </div>
            )}
            {questions.length > 1 && (
              <button type="button" class="link" onClick={() => setQuestions(questions.filter((_, j) => j !== i))}>
                {t('desk.removeQuestion', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
      <div class="actions">
        {form.kind !== 'PROPOSALS' && (
          <button type="button" class="button secondary" onClick={() => setQuestions([...questions, { text: '', type: 'SINGLE_CHOICE', choices: '' }])}>
            {t('desk.addQuestion')}
          </button>
        )}
        <button type="submit" class="button">
          {t('desk.create')}
        </button>
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

type VerificationRequest = import('../generated/openapi').components['schemas']['VerificationRequest'];
type VerificationLetter = import('../generated/openapi').components['schemas']['VerificationLetter'];

/** Residents waiting to be verified: agents approve in person, send the postal code's letter, or refuse. */
function VerificationsQueue() {
  const { t, api, session, locale, config } = useApp();
  const [changed, setChanged] = useState(0);
  const [message, setMessage] = useState<string>();
  const [letter, setLetter] = useState<VerificationLetter>();
  const [error, setError] = useState<unknown>();
  const list = useLoad(() => api.get<{ items: VerificationRequest[] }>('/verifications?limit=50'), [], [changed]);
  const act = async (r: VerificationRequest, action: 'approve' | 'reject' | 'letter') => {
    setError(undefined);
    setLetter(undefined);
    try {
      const path = `/verifications/${encodeURIComponent(r.id)}`;
      if (action === 'letter') {
        setLetter(await api.post<VerificationLetter>(`${path}/letter`, undefined, newIdempotencyKey()));
      } else {
        await api.post(`${path}/decision`, { approve: action === 'approve' }, newIdempotencyKey());
        setMessage(t(action === 'approve' ? 'desk.vApproved' : 'desk.vRejected', { district: r.district }));
      }
      setChanged((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="verifications">
      <h2 id="verifications">{t('desk.verifications')}</h2>
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {letter && (
        <div class="notice" role="status">
          <p>{t('desk.letter', { address: letter.address })}</p>
          {letter.code && (
            <p>
              {t('desk.letterCode')} <strong class="code">{letter.code}</strong>
            </p>
          )}
        </div>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      {list.loading && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
      <ul class="list">
        {list.data?.items.map((r) => (
          <li key={r.id} class="item">
            <p>
              <strong>{t(`method.${r.method}` as Key)}</strong> · {r.district} · <span class="badge">{t(`vstatus.${r.status}` as Key)}</span>{' '}
              <span class="muted">{formatDateTime(r.createdAt, locale, config.timeZone)}</span>
            </p>
            {r.address && <p>{r.address}</p>}
            <div class="actions">
              {r.method === 'IN_PERSON' && r.accountId !== session?.sub && (
                <button type="button" class="button secondary" onClick={() => act(r, 'approve')}>
                  {t('desk.vApprove')}
                </button>
              )}
              {r.method === 'POSTAL' && r.status === 'PENDING' && (
                <button type="button" class="button secondary" onClick={() => act(r, 'letter')}>
                  {t('desk.vLetter')}
                </button>
              )}
              <button type="button" class="button secondary" onClick={() => act(r, 'reject')}>
                {t('desk.vReject')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
