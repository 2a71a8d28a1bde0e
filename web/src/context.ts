import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { Session } from './auth';
import type { Config } from './config';
import type { Locale } from './format';
import type { PendingWrite } from './outbox';
import type { T } from './i18n';

export interface AppContext {
  config: Config;
  locale: Locale;
  t: T;
  session: Session | null;
  api: Api;
  signIn: () => void;
  /** Keeps a write that could not reach the API, with its Idempotency-Key, to send when the connection returns. */
  queue: (write: Pick<PendingWrite, 'key' | 'kind' | 'path' | 'body' | 'label'>) => Promise<void>;
  /** Refreshes the ID token now, e.g. once a role was granted, so the page shows it without a new sign-in. */
  renew: () => Promise<boolean>;
}

export const Ctx = createContext<AppContext>(null as unknown as AppContext);
export const useApp = () => useContext(Ctx);
