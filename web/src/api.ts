/** A small typed client of the Territoire HTTP API (docs/api.md); errors are RFC 9457 problems. */

export interface FieldError {
  field: string;
  pointer?: string;
  detail: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  nextFreeStarts?: string[];
  quotaFreesAt?: string;
  [k: string]: unknown;
}

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

export interface Service {
  id: string;
  name: string;
  description?: string;
  kind: string;
  category: string;
  organisationId: string;
  districts: string[];
  experimental?: boolean;
  retiredAt?: string;
  summary?: Summary;
}

export interface Summary {
  count: number;
  average?: number | null;
  histogram: number[];
}

export interface Evaluation {
  handle: string;
  mine: boolean;
  rating: number;
  comment?: string;
  createdAt: string;
  updatedAt?: string;
  reply?: string;
  repliedAt?: string;
  hidden?: boolean;
  hiddenReason?: string;
}

export interface Report {
  id: string;
  serviceId: string;
  /** Optional, as in Open311 GeoReport v2: a report filed there may have only a place and a photo. */
  description?: string;
  status: string;
  latitude?: number;
  longitude?: number;
  address?: string;
  createdAt: string;
  followers?: number;
}

export interface Resource {
  id: string;
  kind: string;
  name: string;
  district: string;
  organisationId: string;
  capacity: number;
  slotMinutes: number;
  minDurationMinutes?: number;
  maxDurationMinutes?: number;
  openingHours?: Record<string, string[]>;
  timeZone?: string;
  requiresApproval?: boolean;
}

export interface Slot {
  start: string;
  end: string;
  open: boolean;
  booked: number;
  free: number;
}

export interface Booking {
  id: string;
  resourceId: string;
  start: string;
  end: string;
  units: number;
  status: string;
  createdAt?: string;
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
  ) {}

  async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
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
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
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
