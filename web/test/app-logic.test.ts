import { sameDeps } from '../src/components';
import { verificationCommand } from '../src/pages/account';
import { consultationCommand } from '../src/pages/desk';
import { barHeights } from '../src/pages/myhome';
import { checkInOpen } from '../src/pages/bookings';
import { describe, expect, it } from 'vitest';
import { Api, ApiError, query } from '../src/api';
import { parseConfig } from '../src/config';
import { CATEGORIES, RESOURCE_KINDS } from '../src/format';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';
import { interpolate, translator } from '../src/i18n';
import { answersFrom, valuesFrom } from '../src/pages/consultations';
import { coordinate, historyStep, reportHeading } from '../src/pages/reports';
import { parseRoute } from '../src/router';

describe('the message catalogues', () => {
  it('have the same keys, every message non-empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [key, text] of Object.entries(fr)) {
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(text.length, key).toBeGreaterThan(0);
      expect(holes(en[key as keyof typeof fr]), key).toEqual(holes(text));
    }
  });
  it('name every kind, category and resource kind of docs/api.md', () => {
    for (const [kind, categories] of Object.entries(CATEGORIES)) {
      expect(fr, kind).toHaveProperty([`kind.${kind}`]);
      for (const c of categories) expect(fr, c).toHaveProperty([`cat.${c}`]);
    }
    for (const k of RESOURCE_KINDS) expect(fr, k).toHaveProperty([`rkind.${k}`]);
  });
  it('fill placeholders and leave unknown ones visible', () => {
    expect(translator('fr')('auth.signedInAs', { sub: 'alice' })).toBe('Connecté : alice');
    expect(translator('en')('auth.signedInAs', { sub: 'alice' })).toBe('Signed in: alice');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});

describe('config.json', () => {
  const good = {
    territory: { name: 'T', colours: { primary: '#000000', onPrimary: '#ffffff', accent: '#111111', background: '#ffffff', text: '#000000' } },
    mapBox: [0, 0, 1, 1], apiUrl: 'https://api.test/',
    auth: { authorizeUrl: 'https://l.test/a', tokenUrl: 'https://l.test/t', clientId: 'c', redirectUri: 'https://app.test/' },
  };
  it('is read with its defaults', () => {
    const c = parseConfig(good);
    expect(c.apiUrl).toBe('https://api.test');
    expect(c.defaultLocale).toBe('fr');
    expect(c.timeZone).toBe('Europe/Paris');
    expect(c.territory.shortName).toBe('T');
  });
  it('names the field that is wrong', () => {
    expect(() => parseConfig({ ...good, apiUrl: 'ftp://x' })).toThrow('apiUrl');
    expect(() => parseConfig({ ...good, territory: { ...good.territory, colours: { ...good.territory.colours, accent: 'red' } } })).toThrow('territory.colours.accent');
    expect(() => parseConfig({ ...good, auth: { ...good.auth, clientId: '' } })).toThrow('auth.clientId');
  });
});

describe('the API client', () => {
  it('sends the bearer token and the idempotency key, and turns a problem into an ApiError', async () => {
    let seen: Headers | undefined;
    const api = new Api('http://api.test', () => 'tok', (async (_u: RequestInfo | URL, init?: RequestInit) => {
      seen = new Headers(init?.headers);
      return new Response(JSON.stringify({ status: 409, detail: 'full', nextFreeStarts: ['2026-12-02T10:00:00Z'] }), { status: 409 });
    }) as typeof fetch);
    const error = await api.post('/bookings', { units: 1 }, 'key-1').catch((e: ApiError) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.problem.nextFreeStarts).toEqual(['2026-12-02T10:00:00Z']);
    expect(seen?.get('authorization')).toBe('Bearer tok');
    expect(seen?.get('idempotency-key')).toBe('key-1');
  });
  it("keeps API Gateway's own 401 as a status with its message", async () => {
    const api = new Api('http://api.test', () => undefined, (async () => new Response('{"message":"Unauthorized"}', { status: 401 })) as typeof fetch);
    const error = await api.get('/services').catch((e: ApiError) => e);
    expect(error.status).toBe(401);
    expect(error.message).toBe('Unauthorized');
  });
  it('reports a network failure as status 0', async () => {
    const api = new Api('http://api.test', () => undefined, (async () => Promise.reject(new TypeError('failed'))) as typeof fetch);
    expect((await api.get('/x').catch((e: ApiError) => e)).status).toBe(0);
  });
  it('builds queries without empty values', () => {
    expect(query({ kind: 'PEER', limit: 5, nextToken: undefined, category: '' })).toBe('?kind=PEER&limit=5');
    expect(query({})).toBe('');
  });
});

describe('routes and forms', () => {
  it('names a report without a description (optional in Open311) with a phrase, in each language', () => {
    expect(reportHeading({ description: 'Banc cassé' }, translator('fr'))).toBe('Banc cassé');
    expect(reportHeading({}, translator('fr'))).toBe('Signalement sans description');
    expect(reportHeading({ description: '  ' }, translator('en'))).toBe('Report without a description');
  });
  it('tells a report\'s history in words: the creation step with a phrase, not the API\'s internal note', () => {
    const created = { to: 'OPEN', note: 'reported' };
    expect(historyStep(created, translator('fr'))).toBe('Ouvert : signalement envoyé');
    expect(historyStep(created, translator('en'))).toBe('Open: reported');
    expect(historyStep({ from: 'OPEN', to: 'IN_PROGRESS', note: 'Équipe prévenue' }, translator('fr'))).toBe('En cours : Équipe prévenue');
    expect(historyStep({ from: 'OPEN', to: 'IN_PROGRESS' }, translator('en'))).toBe('In progress');
    expect(historyStep({ from: 'RESOLVED', to: 'OPEN', note: 'Toujours cassé' }, translator('en'))).toBe('Open: Toujours cassé');
  });
  it('reads coordinates with a decimal point or a French decimal comma, and refuses what is out of range', () => {
    expect(coordinate('45,7641', 90)).toBe(45.7641);
    expect(coordinate(' 4.8357 ', 180)).toBe(4.8357);
    expect(coordinate('', 90)).toBeUndefined();
    expect(coordinate('91', 90)).toBeUndefined();
    expect(coordinate('nord', 90)).toBeUndefined();
  });
  it('parses hash routes', () => {
    expect(parseRoute('#/services?kind=PEER&category=concierge')).toEqual({ name: 'services', kind: 'PEER', category: 'concierge' });
    expect(parseRoute('#/services/a%2Fb')).toEqual({ name: 'service', id: 'a/b' });
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/services/x/y')).toEqual({ name: 'notFound' });
    expect(parseRoute('#/reports/mine')).toEqual({ name: 'myReports' });
    expect(parseRoute('#/reports/r-1')).toEqual({ name: 'reportView', id: 'r-1' });
    expect(parseRoute('#/reports')).toEqual({ name: 'notFound' });
    expect(parseRoute('#/reports/r-1/more')).toEqual({ name: 'notFound' });
  });
  it("turns a poll's form into the API's answers, leaving out empty optional ones", () => {
    const q = (id: string, type: string, optional = false) => ({ id, text: id, type, choices: [], optional }) as never;
    expect(answersFrom([q('q1', 'SINGLE_CHOICE'), q('q2', 'MULTIPLE_CHOICE'), q('q3', 'SCALE'), q('q4', 'FREE_TEXT', true)],
      { q1: ['c2'], q2: ['c1', 'c3'], q3: ['4'], q4: ['  '] })).toEqual([
      { questionId: 'q1', choices: ['c2'] },
      { questionId: 'q2', choices: ['c1', 'c3'] },
      { questionId: 'q3', value: 4 },
      { questionId: 'q4', text: '' },
    ]);
  });
  it('fills the form back from answers given before, so they can be changed', () => {
    expect(valuesFrom([{ questionId: 'q1', choices: ['c2'] }, { questionId: 'q3', value: 4 }, { questionId: 'q4', text: 'Oui' }]))
      .toEqual({ q1: ['c2'], q3: ['4'], q4: ['Oui'] });
  });
});

describe('consultationCommand', () => {
  const form = {
    title: '  Le marché du dimanche ',
    description: 'Votre avis sur le marché.',
    kind: 'POLL' as const,
    districts: 'centre, gare ,',
    opensAt: '2026-12-02T08:00',
    closesAt: '2026-12-16T18:00',
    liveResults: true,
    allowChange: false,
  };
  it('gives the API instants in UTC, trimmed texts, districts and one choice a line', () => {
    const c = consultationCommand(form, [
      { text: 'Quel horaire ?', type: 'SINGLE_CHOICE', choices: 'Matin\n\n Après-midi \n' },
      { text: 'Une note ?', type: 'SCALE', choices: 'ignored' },
    ], 'Europe/Paris');
    expect(c).toEqual({
      title: 'Le marché du dimanche',
      description: 'Votre avis sur le marché.',
      kind: 'POLL',
      districts: ['centre', 'gare'],
      opensAt: '2026-12-02T07:00:00Z',
      closesAt: '2026-12-16T17:00:00Z',
      liveResults: true,
      allowChange: false,
      questions: [
        { text: 'Quel horaire ?', type: 'SINGLE_CHOICE', choices: ['Matin', 'Après-midi'] },
        { text: 'Une note ?', type: 'SCALE' },
      ],
    });
  });
  it('sends no questions for a call for proposals and no districts for the whole territory', () => {
    const c = consultationCommand({ ...form, kind: 'PROPOSALS', districts: ' ' }, [{ text: 'x', type: 'FREE_TEXT', choices: '' }], 'Europe/Paris');
    expect(c.questions).toBeUndefined();
    expect(c.districts).toBeUndefined();
  });
});

describe('barHeights', () => {
  it('scales each bar to the largest, and never below zero', () => {
    expect(barHeights([1, 2, 4, -1])).toEqual([0.25, 0.5, 1, 0]);
  });
  it('draws flat bars when nothing was consumed, not NaN', () => {
    expect(barHeights([0, 0])).toEqual([0, 0]);
    expect(barHeights([])).toEqual([]);
  });
});

describe('checkInOpen', () => {
  const b = { status: 'CONFIRMED' as const, start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' };
  it('opens 15 minutes before the start and closes at the end', () => {
    expect(checkInOpen(b, new Date('2026-12-01T09:44:00Z'))).toBe(false);
    expect(checkInOpen(b, new Date('2026-12-01T09:45:00Z'))).toBe(true);
    expect(checkInOpen(b, new Date('2026-12-01T10:59:00Z'))).toBe(true);
    expect(checkInOpen(b, new Date('2026-12-01T11:00:00Z'))).toBe(false);
  });
  it('is for confirmed bookings only', () => {
    expect(checkInOpen({ ...b, status: 'PENDING' }, new Date('2026-12-01T10:00:00Z'))).toBe(false);
  });
});

describe('verificationCommand', () => {
  const f = { documentNumber: ' ab123456 ', birthDate: '1990-01-01', district: ' gare ', address: ' 3 place de la Gare ' };
  it('sends only the fields of the method chosen, trimmed', () => {
    expect(verificationCommand('CENSUS', f)).toEqual({ method: 'CENSUS', documentNumber: 'AB123456', birthDate: '1990-01-01' });
    expect(verificationCommand('POSTAL', f)).toEqual({ method: 'POSTAL', district: 'gare', address: '3 place de la Gare' });
    expect(verificationCommand('IN_PERSON', f)).toEqual({ method: 'IN_PERSON', district: 'gare' });
  });
});

describe('a page load and its dependencies', () => {
  it('are the same only for the same values in the same order', () => {
    const session = { sub: 'a' };
    expect(sameDeps(['TERRITORIAL', session], ['TERRITORIAL', session])).toBe(true);
    expect(sameDeps([undefined, session], [undefined, session])).toBe(true);
    expect(sameDeps(['TERRITORIAL', session], [undefined, session])).toBe(false);
    expect(sameDeps(['TERRITORIAL', session], ['TERRITORIAL', { sub: 'a' }])).toBe(false);
    expect(sameDeps([NaN], [NaN])).toBe(true);
    expect(sameDeps(['a'], ['a', 'b'])).toBe(false);
  });
});
