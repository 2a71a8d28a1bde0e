import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type Comment, type Page, type Proposal } from '../api';
import { hasRole } from '../auth';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime, formatNumber } from '../format';
import type { Key } from '../i18n';

interface Question {
  id: string;
  text: string;
  type: 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'SCALE' | 'FREE_TEXT';
  choices: { id: string; label: string }[];
  maxChoices?: number;
  optional: boolean;
}
interface Consultation {
  id: string;
  title: string;
  description: string;
  kind: 'POLL' | 'PROPOSALS' | 'EXPERIMENT';
  closesAt: string;
  allowChange: boolean;
  supportThreshold?: number;
  questions: Question[];
}
interface Item {
  consultation: Consultation;
  phase: string;
}
interface Answer {
  questionId: string;
  choices?: string[];
  value?: number;
  text?: string;
}
interface Results {
  participants: number;
  questions: { questionId: string; text: string; type: string; answered: number; counts: { key: string; label: string; count: number; percentage: number }[]; average?: number }[];
}

export function ConsultationsPage() {
  const { t, api, session, locale, config } = useApp();
  const list = useLoad(async () => (session ? api.get<Page<Item>>('/consultations') : undefined), [session]);
  const title = t('consultations.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {list.loading && session && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      <ul class="list">
        {list.data?.items.map(({ consultation: c, phase }) => (
          <li key={c.id} class="item">
            <h2>
              <a href={`#/consultations/${encodeURIComponent(c.id)}`}>{c.title}</a>
            </h2>
            <p>{c.description}</p>
            <p class="muted">
              <span class="badge">{t(`consultations.phase.${phase}` as Key)}</span> {t('consultations.closes', { date: formatDateTime(c.closesAt, locale, config.timeZone) })}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Turns the form's values into the API's answers; empty optional questions are left out. */
export function answersFrom(questions: Question[], values: Record<string, string[]>): Answer[] {
  const out: Answer[] = [];
  for (const q of questions) {
    const v = (values[q.id] ?? []).filter((x) => x !== '');
    if (v.length === 0) continue;
    if (q.type === 'SCALE') out.push({ questionId: q.id, value: Number(v[0]) });
    else if (q.type === 'FREE_TEXT') out.push({ questionId: q.id, text: v[0]!.trim() });
    else out.push({ questionId: q.id, choices: v });
  }
  return out;
}

/** The form's values from answers given before (to change them). */
export function valuesFrom(answers: Answer[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of answers) out[a.questionId] = a.choices ?? (a.value !== undefined ? [String(a.value)] : a.text !== undefined ? [a.text] : []);
  return out;
}

function PollForm({ c, onDone, previous }: { c: Consultation; onDone: () => void; previous?: Answer[] }) {
  const { t, api } = useApp();
  const changing = previous !== undefined;
  const [values, setValues] = useState<Record<string, string[]>>(() => valuesFrom(previous ?? []));
  const [error, setError] = useState<unknown>();
  const set = (q: string, v: string[]) => setValues({ ...values, [q]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const body = { answers: answersFrom(c.questions, values) };
    const path = `/consultations/${encodeURIComponent(c.id)}/participation`;
    try {
      if (changing) await api.put(path, body);
      else await api.post(path, body, newIdempotencyKey());
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h2>{changing ? t('consultation.change') : t('consultation.answer')}</h2>
      {c.questions.map((q) => {
        const chosen = values[q.id] ?? [];
        const legend = (
          <legend>
            {q.text} {q.optional && <span class="muted">{t('consultation.optional')}</span>}
            {q.type === 'MULTIPLE_CHOICE' && q.maxChoices && <span class="muted"> — {t('consultation.maxChoices', { n: q.maxChoices })}</span>}
            {q.type === 'SCALE' && <span class="muted"> — {t('consultation.scale')}</span>}
          </legend>
        );
        if (q.type === 'FREE_TEXT') {
          return (
            <div class="field" key={q.id}>
              <label for={`a-${q.id}`}>
                {q.text} {q.optional && <span class="muted">{t('consultation.optional')}</span>}
              </label>
              <textarea id={`a-${q.id}`} rows={3} maxLength={2000} required={!q.optional} value={chosen[0] ?? ''} onInput={(e) => set(q.id, [(e.target as HTMLTextAreaElement).value])} />
            </div>
          );
        }
        const options = q.type === 'SCALE' ? ['1', '2', '3', '4', '5'].map((n) => ({ id: n, label: n })) : q.choices;
        const multiple = q.type === 'MULTIPLE_CHOICE';
        return (
          <fieldset key={q.id} class={q.type === 'SCALE' ? 'rating' : ''}>
            {legend}
            {options.map((o) => (
              <label key={o.id}>
                <input
                  type={multiple ? 'checkbox' : 'radio'}
                  name={q.id}
                  value={o.id}
                  checked={chosen.includes(o.id)}
                  required={!multiple && !q.optional}
                  disabled={multiple && !chosen.includes(o.id) && !!q.maxChoices && chosen.length >= q.maxChoices}
                  onChange={(e) => {
                    const on = (e.target as HTMLInputElement).checked;
                    set(q.id, multiple ? (on ? [...chosen, o.id] : chosen.filter((x) => x !== o.id)) : [o.id]);
                  }}
                />
                {o.label}
              </label>
            ))}
          </fieldset>
        );
      })}
      {error !== undefined && <ErrorMessage error={error} />}
      <button type="submit" class="button">
        {t('consultation.submit')}
      </button>
    </form>
  );
}

function ResultsView({ results }: { results: Results }) {
  const { t, locale } = useApp();
  return (
    <section aria-labelledby="results">
      <h2 id="results">{t('consultation.results')}</h2>
      <p>{t('consultation.participants', { count: results.participants })}</p>
      {results.questions
        .filter((q) => q.type !== 'FREE_TEXT')
        .map((q) => (
          <table key={q.questionId} class="histogram">
            <caption>{q.text}</caption>
            <tbody>
              {q.counts.map((c) => (
                <tr key={c.key}>
                  <th scope="row">{c.label}</th>
                  <td>
                    <span class="meter" aria-hidden="true">
                      <span style={{ width: `${c.percentage}%` }} />
                    </span>
                  </td>
                  <td class="num">
                    {c.count} ({formatNumber(c.percentage, locale, 0)} %)
                  </td>
                </tr>
              ))}
              {q.average !== undefined && (
                <tr>
                  <td colSpan={3}>{t('consultation.average', { avg: formatNumber(q.average, locale) })}</td>
                </tr>
              )}
            </tbody>
          </table>
        ))}
    </section>
  );
}

export function ConsultationPage({ id }: { id: string }) {
  const { t, api, session } = useApp();
  const [thanks, setThanks] = useState(false);
  const [changing, setChanging] = useState(false);
  const path = `/consultations/${encodeURIComponent(id)}`;
  const data = useLoad(async () => {
    if (!session) return undefined;
    const item = await api.get<Item>(path);
    const orNull = <V,>(p: Promise<V>) => p.catch((e) => (e instanceof ApiError && (e.status === 404 || e.status === 403) ? null : Promise.reject(e)));
    const [mine, results] = await Promise.all([
      hasRole(session, 'resident') ? orNull(api.get<{ answers: Answer[] }>(`${path}/participation`)) : Promise.resolve(null),
      orNull(api.get<Results>(`${path}/results`)),
    ]);
    return { item, mine, results };
  }, [id, session], [thanks]);
  if (!session) {
    return (
      <>
        <PageTitle title={t('consultations.title')}>{t('consultations.title')}</PageTitle>
        <SignInPrompt />
      </>
    );
  }
  if (data.loading && !data.data) return <Loading />;
  if (data.error !== undefined) return <ErrorMessage error={data.error} />;
  const { item, mine, results } = data.data!;
  const c = item.consultation;
  const canAnswer = item.phase === 'OPEN' && c.kind !== 'PROPOSALS' && hasRole(session, 'resident');
  return (
    <>
      <p>
        <a href="#/consultations">← {t('consultations.title')}</a>
      </p>
      <PageTitle title={c.title}>{c.title}</PageTitle>
      <p>{c.description}</p>
      <p>
        <span class="badge">{t(`consultations.phase.${item.phase}` as Key)}</span>
      </p>
      {thanks && (
        <p class="notice success" role="status">
          {t('consultation.thanks')}
        </p>
      )}
      {c.kind === 'PROPOSALS' && <Proposals c={c} phase={item.phase} />}
      {canAnswer && (!mine || changing) && (
        <PollForm
          c={c}
          previous={mine ? (mine.answers ?? []) : undefined}
          onDone={() => {
            setChanging(false);
            setThanks(true);
          }}
        />
      )}
      {canAnswer && mine && !changing && (
        <div class="panel">
          <p>{t('consultation.already')}</p>
          {c.allowChange && (
            <button type="button" class="button secondary" onClick={() => setChanging(true)}>
              {t('consultation.change')}
            </button>
          )}
        </div>
      )}
      {c.kind !== 'PROPOSALS' && (results ? <ResultsView results={results} /> : <p class="muted">{t('consultation.noResults')}</p>)}
    </>
  );
}

interface ProposalItem {
  proposal: Proposal;
  needsAnswer: boolean;
  mine: boolean;
}

/** A proposals consultation: the ideas by support, submitting one, supporting, and the comments of each. */
function Proposals({ c, phase }: { c: { id: string; supportThreshold?: number }; phase: string }) {
  const { t, api, session } = useApp();
  const [changed, setChanged] = useState(0);
  const [message, setMessage] = useState<string>();
  const path = `/consultations/${encodeURIComponent(c.id)}/proposals`;
  const list = useLoad(() => api.get<{ items: ProposalItem[] }>(path), [c.id], [changed]);
  const resident = hasRole(session, 'resident');
  const open = phase === 'OPEN';
  const items = [...(list.data?.items ?? [])].filter((i) => !i.proposal.hidden).sort((a, b) => b.proposal.supports - a.proposal.supports);
  return (
    <section aria-labelledby="proposals">
      <h2 id="proposals">{t('proposals.title')}</h2>
      {c.supportThreshold && <p class="muted">{t('proposals.threshold', { n: c.supportThreshold })}</p>}
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      {list.loading && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      {list.data && items.length === 0 && <p>{t('common.none')}</p>}
      <ul class="list">
        {items.map((i) => (
          <ProposalCard key={i.proposal.id} item={i} path={path} canSupport={open && resident && !i.mine} onChange={() => setChanged((n) => n + 1)} />
        ))}
      </ul>
      {open && resident && (
        <NewProposal
          path={path}
          onDone={(title) => {
            setMessage(t('proposals.submitted', { title }));
            setChanged((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}

function ProposalCard({ item, path, canSupport, onChange }: { item: ProposalItem; path: string; canSupport: boolean; onChange: () => void }) {
  const { t, api, session } = useApp();
  const p = item.proposal;
  const here = `${path}/${encodeURIComponent(p.id)}`;
  // The API says whether I support it (supportedByMe, my own support only); what I just did shows until the list reloads.
  const [done, setDone] = useState<boolean>();
  const supported = done ?? p.supportedByMe === true;
  const setSupported = setDone;
  const [error, setError] = useState<unknown>();
  const [showComments, setShowComments] = useState(false);
  const support = async () => {
    setError(undefined);
    try {
      await api.post(`${here}/support`, undefined, newIdempotencyKey());
      setSupported(true);
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const withdraw = async () => {
    setError(undefined);
    try {
      await api.delete(`${here}/support`);
      setSupported(false);
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li class="item">
      <h3>{p.title}</h3>
      <p>{p.body}</p>
      <p class="muted">
        {t('proposals.supports', { count: p.supports })} · {t('proposals.comments', { count: p.comments })}
        {item.mine && ` · ${t('proposals.mine')}`}
      </p>
      {p.answer && (
        <p class="notice">
          <strong>{t(`proposals.answer.${p.answer.status}` as Key)}</strong>
          {p.answer.text && ` — ${p.answer.text}`}
        </p>
      )}
      <div class="actions">
        {canSupport && !supported && (
          <button type="button" class="button secondary" onClick={support}>
            {t('proposals.support')}
          </button>
        )}
        {canSupport && supported && (
          <>
            <span role="status">{t('proposals.supported')}</span>
            <button type="button" class="button secondary" onClick={withdraw}>
              {t('proposals.withdraw')}
            </button>
          </>
        )}
        <button type="button" class="link" aria-expanded={showComments} onClick={() => setShowComments(!showComments)}>
          {showComments ? t('proposals.hideComments') : t('proposals.showComments')}
        </button>
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      {showComments && <Comments path={`${here}/comments`} canComment={!!session && session.groups.length > 0} onAdded={onChange} />}
    </li>
  );
}

function Comments({ path, canComment, onAdded }: { path: string; canComment: boolean; onAdded: () => void }) {
  const { t, api, locale, config } = useApp();
  const [changed, setChanged] = useState(0);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const list = useLoad(() => api.get<{ items: Comment[] }>(`${path}?limit=50`), [path], [changed]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.post(path, { text: text.trim() }, newIdempotencyKey());
      setText('');
      setChanged((n) => n + 1);
      onAdded();
    } catch (err) {
      setError(err);
    }
  };
  const id = `comment-${path.replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <div class="comments">
      {list.loading && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      <ul class="inline-list">
        {list.data?.items
          .filter((c) => !c.hidden)
          .map((c) => (
            <li key={c.id}>
              {c.text} {c.createdAt && <span class="muted">— {formatDateTime(c.createdAt, locale, config.timeZone)}</span>}
            </li>
          ))}
      </ul>
      {canComment && (
        <form onSubmit={submit} class="row">
          <div class="field grow">
            <label for={id}>{t('proposals.comment')}</label>
            <input id={id} type="text" required minLength={2} maxLength={2000} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button secondary">
            {t('proposals.send')}
          </button>
          {error !== undefined && <ErrorMessage error={error} />}
        </form>
      )}
    </div>
  );
}

function NewProposal({ path, onDone }: { path: string; onDone: (title: string) => void }) {
  const { t, api } = useApp();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.post(path, { title: title.trim(), body: body.trim() }, key);
      setKey(newIdempotencyKey());
      onDone(title.trim());
      setTitle('');
      setBody('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit}>
      <h3>{t('proposals.new')}</h3>
      <div class="field">
        <label for="p-title">{t('proposals.pTitle')}</label>
        <input id="p-title" type="text" required minLength={5} maxLength={200} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="p-body">{t('proposals.pBody')}</label>
        <textarea id="p-body" required minLength={10} maxLength={5000} rows={4} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </div>
      <button type="submit" class="button">
        {t('proposals.submit')}
      </button>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}
