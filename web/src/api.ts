/** A small typed client of the Territoire HTTP API (docs/api.md); errors are RFC 9457 problems. */

import { STALE_HEADER } from '../sw/policy';
import type { components } from './generated/openapi';

/**
 * The API's shapes, generated from api/openapi.yaml by openapi-typescript (`npm run gen`, run by the build), so the
 * client cannot drift from the description that the platform's tests enforce.
 */
type Schemas = components['schemas'];
export type FieldError = Schemas['FieldError'];
export type Service = Schemas['ServiceWithSummary'];
export type Summary = Schemas['Summary'];
export type Evaluation = Schemas['Evaluation'];
export type Report = Schemas['Report'];
export type ReportStatus = Schemas['ReportStatus'];
export type StatusChange = Schemas['StatusChange'];
export type ReportView = Schemas['ReportView'];
export type StatusCommand = Schemas['StatusCommand'];
export type Resource = Schemas['Resource'];
export type Slot = Schemas['Slot'];
export type Booking = Schemas['Booking'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type Consultation = Schemas['ConsultationView'];
export type ConsultationCommand = Schemas['ConsultationCommand'];
export type Results = Schemas['Results'];
export type Proposal = Schemas['Proposal'];
export type Comment = Schemas['Comment'];
export type Device = Schemas['Device'];
export type Reading = Schemas['Reading'];
export type Alert = Schemas['Alert'];
export type Photo = Schemas['Photo'];
export type PhotoUpload = Schemas['PhotoUpload'];
export type ResolutionCheck = Schemas['ResolutionCheck'];
export type ReopenRequest = Schemas['ReopenRequest'];
export type NotificationPreferences = Schemas['NotificationPreferences'];

/** An RFC 9457 problem as the client reads it: the described fields, and any extension member (e.g. nextFreeStarts). */
export type Problem = Partial<Schemas['Problem']> & {
  status: number;
  nextFreeStarts?: string[];
  quotaFreesAt?: string;
  [k: string]: unknown;
};

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export type Fetcher = typeof fetch;

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string | undefined,
    private readonly fetcher: Fetcher = (...a) => fetch(...a),
    /** Told of each answer read from the service worker's cache because the network was out: when it was stored. */
    private readonly onStale: (storedAt: string) => void = () => {},
    /** Asked once when the API answers 401 to a request with a token: true when a new token is there to retry with. */
    private readonly renew: () => Promise<boolean> = async () => false,
  ) {}

  async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string, retried = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    try {
      res = await this.fetcher(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError({ status: 0, title: 'network' });
    }
    const storedAt = res.headers.get(STALE_HEADER);
    if (storedAt) this.onStale(storedAt);
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    // An expired token is refused by API Gateway's authorizer before any function runs, so the request is sent again.
    if (res.status === 401 && token && !retried && (await this.renew())) {
      return this.request<T>(method, path, body, idempotencyKey, true);
    }
    if (!res.ok) {
      const p = (parsed && typeof parsed === 'object' ? parsed : {}) as Problem;
      // API Gateway's own answers ({"message": "Unauthorized"}) are not problems: keep their status.
      throw new ApiError({ ...p, status: res.status, detail: p.detail ?? (p as { message?: string }).message });
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    return this.request<T>('POST', path, body, idempotencyKey);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
