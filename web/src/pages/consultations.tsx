import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type Page } from '../api';
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
  }, [id, session, thanks]);
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
      {c.kind === 'PROPOSALS' && <p class="muted">{t('consultation.notPoll')}</p>}
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
      {results ? <ResultsView results={results} /> : <p class="muted">{t('consultation.noResults')}</p>}
    </>
  );
}
