/** Hash routes (#/services/ID): the client is static files, so no server rewrite is needed in CloudFront or locally. */
export type Route =
  | { name: 'home' }
  | { name: 'services'; kind?: string; category?: string }
  | { name: 'service'; id: string }
  | { name: 'map' }
  | { name: 'report' }
  | { name: 'myReports' }
  | { name: 'reportView'; id: string }
  | { name: 'resources'; kind?: string }
  | { name: 'resource'; id: string }
  | { name: 'bookings' }
  | { name: 'booking'; id: string }
  | { name: 'consultations' }
  | { name: 'consultation'; id: string }
  | { name: 'budgets' }
  | { name: 'budget'; id: string }
  | { name: 'desk' }
  | { name: 'deskTool'; tool: DeskTool }
  | { name: 'myHome' }
  | { name: 'account' }
  | { name: 'notFound' };

/** The agents' tools beside the desk (#/desk/moderation ...), each a page of its own (pages/desk-tools.tsx). */
export const DESK_TOOLS = ['moderation', 'devices', 'districts', 'open311', 'resources'] as const;
export type DeskTool = (typeof DESK_TOOLS)[number];

export function parseRoute(hash: string): Route {
  const [path = '', qs = ''] = hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(qs);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const opt = (k: string) => q.get(k) || undefined;
  if (parts.length === 0) return { name: 'home' };
  const [head, id, ...rest] = parts;
  if (rest.length > 0) return { name: 'notFound' };
  switch (head) {
    case 'services':
      return id ? { name: 'service', id } : { name: 'services', kind: opt('kind'), category: opt('category') };
    case 'map':
      return id ? { name: 'notFound' } : { name: 'map' };
    case 'report':
      return id ? { name: 'notFound' } : { name: 'report' };
    case 'reports':
      return id === 'mine' ? { name: 'myReports' } : id ? { name: 'reportView', id } : { name: 'notFound' };
    case 'resources':
      return id ? { name: 'resource', id } : { name: 'resources', kind: opt('kind') };
    case 'bookings':
      return id ? { name: 'booking', id } : { name: 'bookings' };
    case 'consultations':
      return id ? { name: 'consultation', id } : { name: 'consultations' };
    case 'budgets':
      return id ? { name: 'budget', id } : { name: 'budgets' };
    case 'desk':
      if (!id) return { name: 'desk' };
      return (DESK_TOOLS as readonly string[]).includes(id) ? { name: 'deskTool', tool: id as DeskTool } : { name: 'notFound' };
    case 'me':
      return id ? { name: 'notFound' } : { name: 'myHome' };
    case 'account':
      return id ? { name: 'notFound' } : { name: 'account' };
    default:
      return { name: 'notFound' };
  }
}

export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}
