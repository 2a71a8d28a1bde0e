/** The client's settings, read from /config.json at start (written at deploy in AWS, served by the local platform). */
export interface Colours {
  primary: string;
  onPrimary: string;
  accent: string;
  background: string;
  text: string;
}

/** A tile layer for the maps: a URL template ({z}/{x}/{y}) and the attribution its licence asks for. */
export interface Tiles {
  url: string;
  attribution: string;
  /** Where the attribution links to (OpenStreetMap's copyright page for its tiles). */
  attributionUrl?: string;
  maxZoom?: number;
}

export interface Config {
  territory: { name: string; shortName: string; colours: Colours };
  defaultLocale: 'fr' | 'en';
  timeZone: string;
  /** west, south, east, north: the box of the public map of reports. */
  mapBox: [number, number, number, number];
  /** No tiles (locally, and in tests, where nothing outside is reachable): the maps show points on a plain background. */
  tiles?: Tiles;
  apiUrl: string;
  auth: { authorizeUrl: string; tokenUrl: string; clientId: string; redirectUri: string; local?: boolean };
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Checks a parsed config.json; throws naming the first field that is wrong, so a bad deploy is seen at once. */
export function parseConfig(raw: unknown): Config {
  const c = raw as Partial<Config> | null;
  const fail = (field: string): never => {
    throw new Error(`config.json: ${field} is missing or invalid`);
  };
  if (!c || typeof c !== 'object') fail('(root)');
  if (!c!.territory || typeof c!.territory.name !== 'string' || !c!.territory.name) fail('territory.name');
  const colours = c!.territory!.colours;
  if (!colours) fail('territory.colours');
  for (const k of ['primary', 'onPrimary', 'accent', 'background', 'text'] as const) {
    if (!HEX.test(colours![k] ?? '')) fail(`territory.colours.${k}`);
  }
  if (typeof c!.apiUrl !== 'string' || !/^https?:\/\//.test(c!.apiUrl)) fail('apiUrl');
  const auth = c!.auth;
  if (!auth) fail('auth');
  for (const k of ['authorizeUrl', 'tokenUrl', 'redirectUri'] as const) {
    if (typeof auth![k] !== 'string' || !/^https?:\/\//.test(auth![k])) fail(`auth.${k}`);
  }
  if (typeof auth!.clientId !== 'string' || !auth!.clientId) fail('auth.clientId');
  const box = c!.mapBox;
  if (!Array.isArray(box) || box.length !== 4 || box.some((n) => typeof n !== 'number')) fail('mapBox');
  const tiles = c!.tiles ?? undefined;
  if (tiles !== undefined) {
    if (typeof tiles !== 'object' || typeof tiles.url !== 'string' || !/^https:\/\/[^ ]*\{z\}[^ ]*\{x\}[^ ]*\{y\}/.test(tiles.url)) fail('tiles.url');
    if (typeof tiles.attribution !== 'string' || !tiles.attribution) fail('tiles.attribution');
  }
  return {
    territory: { name: c!.territory!.name, shortName: c!.territory!.shortName || c!.territory!.name, colours: colours! },
    defaultLocale: c!.defaultLocale === 'en' ? 'en' : 'fr',
    timeZone: c!.timeZone || 'Europe/Paris',
    mapBox: box as Config['mapBox'],
    tiles: tiles ? { url: tiles.url, attribution: tiles.attribution, attributionUrl: tiles.attributionUrl, maxZoom: tiles.maxZoom } : undefined,
    apiUrl: c!.apiUrl!.replace(/\/$/, ''),
    auth: auth!,
  };
}

export async function loadConfig(): Promise<Config> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return parseConfig(await res.json());
}

/** The territory's colours as CSS custom properties on the document. */
export function applyTheme(config: Config, root: HTMLElement = document.documentElement): void {
  const c = config.territory.colours;
  root.style.setProperty('--primary', c.primary);
  root.style.setProperty('--on-primary', c.onPrimary);
  root.style.setProperty('--accent', c.accent);
  root.style.setProperty('--background', c.background);
  root.style.setProperty('--text', c.text);
  // The browser's bar in the territory's colour, as the manifest's theme_color says for the installed app.
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', c.primary);
}
