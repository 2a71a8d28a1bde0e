import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { useApp } from './context';
import type { T } from './i18n';

/** What a failed request means for a person, from its RFC 9457 problem. */
export function problemText(e: unknown, t: T): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('common.network');
    if (e.status === 401) return t('auth.required');
    return e.problem.detail ? `${t('common.error', { status: e.status })} ${e.problem.detail}` : t('common.error', { status: e.status });
  }
  return t('common.error', { status: '?' });
}

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useApp();
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div class="notice error" role="alert">
      <p>{problemText(error, t)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>{t('common.fieldError', { field: f.field, detail: f.detail })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The page's heading: it takes the focus when the page opens, so a screen reader announces the new page. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { config } = useApp();
  useEffect(() => {
    document.title = `${title} — ${config.territory.shortName}`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export interface Load<V> {
  data?: V;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Whether two dependency lists hold the same values (as Preact compares a hook's dependencies). */
export function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Loads data for a page, and loads it again when one of `deps` (what the data is for: an id, a filter,
 * the session) or of `refresh` (counters an action bumps) changes, or on `reload()`. A refresh keeps the
 * data shown until the new answer arrives (no flicker, no form lost after an action); a change of `deps`
 * never shows the data loaded for the former ones, not even for the one render before the effect runs:
 * what is returned is checked against the deps it was loaded for.
 */
export function useLoad<V>(load: () => Promise<V>, deps: unknown[], refresh: unknown[] = []): Load<V> {
  const [state, setState] = useState<{ data?: V; error?: unknown; loading: boolean; deps?: unknown[] }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false, deps }),
      (error) => live && setState({ error, loading: false, deps }),
    );
    return () => {
      live = false;
    };
  }, [...deps, ...refresh, tick]);
  const reload = () => setTick((n) => n + 1);
  if (!state.deps || !sameDeps(state.deps, deps)) return { loading: true, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function Loading() {
  const { t } = useApp();
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function SignInPrompt() {
  const { t, signIn } = useApp();
  return (
    <div class="notice">
      <p>{t('auth.required')}</p>
      <button type="button" class="button" onClick={signIn}>
        {t('auth.signIn')}
      </button>
    </div>
  );
}

/**
 * A destructive action asked twice: a button, then a question with a confirming and a cancelling
 * button. The action's error is shown under it.
 */
export function ConfirmedAction({ id, ask, question, yes, act }: { id: string; ask: string; question: string; yes: string; act: () => Promise<void> }) {
  const { t } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setError(undefined);
    try {
      await act();
      setConfirming(false);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      {!confirming ? (
        <button type="button" class="button secondary" onClick={() => setConfirming(true)}>
          {ask}
        </button>
      ) : (
        <div class="notice error" role="alertdialog" aria-labelledby={id}>
          <p id={id}>{question}</p>
          <div class="actions">
            <button type="button" class="button" onClick={run}>
              {yes}
            </button>
            <button type="button" class="button secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * A labelled picker as the agents' pages show it: a `.field` with its label and a select; `none` is a first
 * option of value "" (e.g. « Choisir un service »); `onPick` gets the chosen value.
 */
export function SelectField({ id, label, value, choices, none, disabled, onPick }: {
  id: string; label: string; value: string; choices: Choice[]; none?: string; disabled?: boolean; onPick: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        {none !== undefined && <option value="">{none}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A line a screen reader announces politely (role=status): an action's result (`tone` success, in a notice), or a
 * count of what a list shows (`tone` muted, or plain). Nothing is rendered without a text.
 */
export function StatusLine({ text, tone }: { text?: string; tone: 'success' | 'muted' | 'plain' }) {
  if (!text) return null;
  return (
    <p class={tone === 'success' ? 'notice success' : tone === 'muted' ? 'muted' : undefined} role="status">
      {text}
    </p>
  );
}
