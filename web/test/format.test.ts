import { describe, expect, it } from 'vitest';
import type { Slot } from '../src/api';
import { weekGrid } from '../src/format';
import { addDays, bookableStarts, durationChoices, formatDateTime, histogramRows, instantToZoned, localDay, nextStatuses, plusMinutes, zonedToInstant } from '../src/format';

const slot = (start: string, end: string, free: number, open = true): Slot => ({ start, end, open, free, booked: 1 - free });

describe('histogramRows', () => {
  it('lists 5 stars down to 1 with whole percentages of the total', () => {
    expect(histogramRows({ count: 4, average: 3.5, histogram: [0, 1, 1, 1, 1] })).toEqual([
      { stars: 5, count: 1, percent: 25 },
      { stars: 4, count: 1, percent: 25 },
      { stars: 3, count: 1, percent: 25 },
      { stars: 2, count: 1, percent: 25 },
      { stars: 1, count: 0, percent: 0 },
    ]);
  });
  it('gives 0 % everywhere when nobody rated, not NaN', () => {
    expect(histogramRows({ count: 0, histogram: [0, 0, 0, 0, 0] }).map((r) => r.percent)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('bookableStarts', () => {
  const day = [
    slot('2026-12-02T08:00:00Z', '2026-12-02T09:00:00Z', 1, false),
    slot('2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z', 2),
    slot('2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z', 1),
    slot('2026-12-02T11:00:00Z', '2026-12-02T12:00:00Z', 0),
    slot('2026-12-02T12:00:00Z', '2026-12-02T13:00:00Z', 2),
  ];
  it('offers only starts where every slot of the duration is open with enough units', () => {
    expect(bookableStarts(day, 1, 1)).toEqual(['2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z', '2026-12-02T12:00:00Z']);
    expect(bookableStarts(day, 2, 1)).toEqual(['2026-12-02T09:00:00Z']);
    expect(bookableStarts(day, 1, 2)).toEqual(['2026-12-02T09:00:00Z', '2026-12-02T12:00:00Z']);
    expect(bookableStarts(day, 3, 1)).toEqual([]);
  });
  it('never joins slots that are not contiguous', () => {
    const gap = [slot('2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z', 1), slot('2026-12-02T11:00:00Z', '2026-12-02T12:00:00Z', 1)];
    expect(bookableStarts(gap, 2, 1)).toEqual([]);
  });
});

describe('durations and times', () => {
  it('offers whole slots from the minimum duration, at most 12', () => {
    expect(durationChoices(30, 60, 180)).toEqual([60, 90, 120, 150, 180]);
    expect(durationChoices(60, undefined, 180)).toEqual([60, 120, 180]);
    expect(durationChoices(15, 15, 24 * 60)).toHaveLength(12);
  });
  it('adds minutes to an instant', () => {
    expect(plusMinutes('2026-12-02T09:30:00Z', 90)).toBe('2026-12-02T11:00:00Z');
  });
  it('takes the day in the territory time zone, not UTC', () => {
    expect(localDay(new Date('2026-12-01T23:30:00Z'), 'Europe/Paris')).toBe('2026-12-02');
    expect(localDay(new Date('2026-12-01T23:30:00Z'), 'UTC')).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-28', 1)).toBe('2027-03-29');
  });
  it('formats dates in French and in the territory time zone', () => {
    expect(formatDateTime('2026-12-01T23:30:00Z', 'fr', 'Europe/Paris')).toBe('2 déc. 2026, 00:30');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'en', 'Europe/Paris')).toBe('1 Jul 2026, 12:00');
  });
});

describe('zonedToInstant and instantToZoned', () => {
  it('reads a wall-clock time in Paris in winter and in summer', () => {
    expect(zonedToInstant('2026-12-01T10:00', 'Europe/Paris')).toBe('2026-12-01T09:00:00Z');
    expect(zonedToInstant('2026-07-01T10:00', 'Europe/Paris')).toBe('2026-07-01T08:00:00Z');
  });
  it('moves an hour that a daylight-saving change skips forward, and keeps the first of a repeated hour', () => {
    expect(zonedToInstant('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00Z');
    expect(zonedToInstant('2026-10-25T02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00Z');
  });
  it('refuses what a datetime-local field never gives', () => {
    expect(() => zonedToInstant('2026-12-01 10:00', 'Europe/Paris')).toThrow();
  });
  it('gives back the wall-clock time of an instant', () => {
    expect(instantToZoned(new Date('2026-12-01T09:00:00Z'), 'Europe/Paris')).toBe('2026-12-01T10:00');
    expect(instantToZoned(new Date('2026-07-01T08:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T10:00');
  });
});

describe('nextStatuses', () => {
  it('follows the workflow and lets nothing move a closed report', () => {
    expect(nextStatuses('OPEN')).toContain('ACKNOWLEDGED');
    expect(nextStatuses('IN_PROGRESS')).not.toContain('ACKNOWLEDGED');
    expect(nextStatuses('RESOLVED')).toEqual([]);
  });
});

describe('weekGrid', () => {
  it('puts each open slot under its local day and start time, and leaves closed ones out', () => {
    const g = weekGrid([
      slot('2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z', 1),
      slot('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', 0, false),
      slot('2026-12-02T08:00:00Z', '2026-12-02T09:00:00Z', 0),
      slot('2026-12-02T23:30:00Z', '2026-12-03T00:30:00Z', 1),
    ], 'Europe/Paris');
    expect(g.days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(g.times).toEqual(['00:30', '09:00']);
    expect(g.cell('2026-12-01', '09:00')?.free).toBe(1);
    expect(g.cell('2026-12-02', '09:00')?.free).toBe(0);
    expect(g.cell('2026-12-03', '00:30')?.free).toBe(1);
    expect(g.cell('2026-12-01', '10:00')).toBeUndefined();
  });
});
