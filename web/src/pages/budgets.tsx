import { useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api';
import { hasRole } from '../auth';
import { ErrorMessage, Loading, PageTitle, SignInPrompt, useLoad } from '../components';
import { useApp } from '../context';
import { formatDateTime, formatNumber, type Locale } from '../format';
import type { Key } from '../i18n';
import { PointsMap } from '../points-map';

interface Budget {
  id: string;
  title: string;
  description: string;
  district?: string;
  amount: number;
  rule: { kind: 'KNAPSACK' | 'SELECT_N'; minSharePercent?: number; minProjects?: number; maxProjects?: number };
  schedule: { voteClosesAt: string };
  allowChange: boolean;
  phase: string;
}
interface Project {
  id: string;
  title: string;
  description: string;
  cost: number;
  status: string;
  location: { latitude: number; longitude: number; address?: string };
  review?: { reason: string };
  implementation?: { status: string; percent: number };
  updates: { date: string; text: string }[];
}
interface Ballot {
  status: 'DRAFT' | 'CONFIRMED' | 'CHANGED';
  projectIds: string[];
  total: number;
  remaining: number;
  problem?: string;
  receipt?: string;
  canChange: boolean;
}

/** What the selection costs and leaves, computed as the resident ticks (the server checks it again on confirmation). */
export function tally(projects: { id: string; cost: number }[], selected: string[], amount: number): { total: number; remaining: number } {
  const total = projects.filter((p) => selected.includes(p.id)).reduce((sum, p) => sum + p.cost, 0);
  return { total, remaining: amount - total };
}

export function BudgetsPage() {
  const { t, api, session, locale } = useApp();
  const list = useLoad(async () => (session ? api.get<{ items: Budget[] }>('/budgets') : undefined), [session]);
  const title = t('budgets.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {!session && <SignInPrompt />}
      {list.loading && session && <Loading />}
      {list.error !== undefined && <ErrorMessage error={list.error} />}
      <ul class="list">
        {list.data?.items.map((b) => (
          <li key={b.id} class="item">
            <h2>
              <a href={`#/budgets/${encodeURIComponent(b.id)}`}>{b.title}</a>
            </h2>
            <p>{b.description}</p>
            <p class="muted">
              <span class="badge">{t(`budgets.phase.${b.phase}` as Key)}</span> {euros(b.amount, locale)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

function euros(n: number, locale: Locale): string {
  return `${formatNumber(n, locale, 0)} €`;
}

export function BudgetPage({ id }: { id: string }) {
  const { t, api, session, locale } = useApp();
  const path = `/budgets/${encodeURIComponent(id)}`;
  const budget = useLoad(async () => (session ? api.get<Budget>(path) : undefined), [session, id]);
  const projects = useLoad(async () => (session ? api.get<{ items: Project[] }>(`${path}/projects`) : undefined), [session, id]);
  if (!session) return <SignInPrompt />;
  if (budget.loading || projects.loading) return <Loading />;
  if (budget.error !== undefined) return <ErrorMessage error={budget.error} />;
  if (projects.error !== undefined) return <ErrorMessage error={projects.error} />;
  const b = budget.data!;
  const all = projects.data!.items;
  const voting = b.phase === 'VOTE' && hasRole(session, 'resident');
  return (
    <>
      <PageTitle title={b.title}>{b.title}</PageTitle>
      <p>{b.description}</p>
      <p class="muted">
        <span class="badge">{t(`budgets.phase.${b.phase}` as Key)}</span> {t('budgets.amount', { amount: euros(b.amount, locale) })}
      </p>
      {all.length > 0 && (
        <PointsMap
          points={all.map((p) => ({ lat: p.location.latitude, lon: p.location.longitude, kind: 'project' }))}
          label={t('budgets.mapLabel', { count: all.length })}
        />
      )}
      {voting ? <BallotForm b={b} projects={all.filter((p) => p.status === 'FEASIBLE')} /> : <ProjectList projects={all} />}
    </>
  );
}

function ProjectList({ projects }: { projects: Project[] }) {
  const { t, locale } = useApp();
  return (
    <ul class="list">
      {projects.map((p) => (
        <li key={p.id} class="item">
          <h2>{p.title}</h2>
          <p>{p.description}</p>
          <p class="muted">
            {euros(p.cost, locale)} — {t(`budgets.status.${p.status}` as Key)}
            {p.review && p.status !== 'FEASIBLE' ? ` : ${p.review.reason}` : ''}
          </p>
          {p.implementation && <p>{t('budgets.progress', { percent: p.implementation.percent })}</p>}
          {p.updates.length > 0 && (
            <ul>
              {p.updates.map((u) => (
                <li key={u.date + u.text}>
                  <time dateTime={u.date}>{u.date}</time> {u.text}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The ballot: each tick saves the draft on the server (it counts for nothing), the remaining budget shows live; confirming is one step with a receipt. */
function BallotForm({ b, projects }: { b: Budget; projects: Project[] }) {
  const { t, api, locale, config } = useApp();
  const path = `/budgets/${encodeURIComponent(b.id)}/ballot`;
  const mine = useLoad(async () => {
    try {
      return await api.get<Ballot>(path);
    } catch {
      return undefined;
    }
  }, [b.id]);
  const [selected, setSelected] = useState<string[] | undefined>();
  const [ballot, setBallot] = useState<Ballot | undefined>();
  const [error, setError] = useState<unknown>();
  if (mine.loading) return <Loading />;
  const current = ballot ?? mine.data;
  const chosen = selected ?? current?.projectIds ?? [];
  const { total, remaining } = tally(projects, chosen, b.amount);
  const locked = current !== undefined && current.status !== 'DRAFT' && !b.allowChange;
  const toggle = async (id: string, on: boolean) => {
    const next = on ? [...chosen, id] : chosen.filter((x) => x !== id);
    setSelected(next);
    setError(undefined);
    try {
      setBallot(await api.put<Ballot>(path, { projectIds: next }));
    } catch (err) {
      setError(err);
    }
  };
  const confirm = async () => {
    setError(undefined);
    try {
      setBallot(await api.post<Ballot>(`${path}/confirm`, undefined, newIdempotencyKey()));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={(e) => e.preventDefault()}>
      <h2>{t('budgets.ballot')}</h2>
      <p class="muted">{t('budgets.closes', { date: formatDateTime(b.schedule.voteClosesAt, locale, config.timeZone) })}</p>
      <p role="status" aria-live="polite" class="remaining">
        {t('budgets.remaining', { remaining: euros(remaining, locale), total: euros(total, locale) })}
      </p>
      <fieldset>
        <legend>{t('budgets.choose')}</legend>
        {projects.map((p) => (
          <label key={p.id}>
            <input type="checkbox" name="project" value={p.id} checked={chosen.includes(p.id)} disabled={locked}
              onChange={(e) => toggle(p.id, (e.target as HTMLInputElement).checked)} />
            {p.title} — {euros(p.cost, locale)}
          </label>
        ))}
      </fieldset>
      {current?.problem && <p class="muted">{current.problem}</p>}
      {current?.status === 'CONFIRMED' && <p role="status">{t('budgets.confirmed', { receipt: current.receipt ?? '' })}</p>}
      {current?.status === 'CHANGED' && <p>{t('budgets.changed')}</p>}
      {current?.status === 'DRAFT' && <p>{t('budgets.draft')}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
      <button type="button" class="button" disabled={locked || chosen.length === 0 || current?.status === 'CONFIRMED'} onClick={confirm}>
        {t('budgets.confirm')}
      </button>
    </form>
  );
}
