/** Formatting and the client's small pieces of logic, kept free of the DOM so that unit tests cover them. */
import type { Slot, Summary } from './api';

export type Locale = 'fr' | 'en';
const TAG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatDate(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: 'full', timeZone }).format(new Date(iso));
}

export function formatTime(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
}

export function formatNumber(n: number, locale: Locale, digits = 1): string {
  return new Intl.NumberFormat(TAG[locale], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

/** The local calendar day (YYYY-MM-DD) of an instant in the territory's time zone. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The histogram as rows from 5 stars down, with each row's share of the evaluations in whole percent. */
export function histogramRows(summary: Summary): { stars: number; count: number; percent: number }[] {
  const histogram = summary.histogram ?? [];
  const total = histogram.reduce((a, b) => a + b, 0);
  return [5, 4, 3, 2, 1].map((stars) => {
    const count = histogram[stars - 1] ?? 0;
    return { stars, count, percent: total === 0 ? 0 : Math.round((100 * count) / total) };
  });
}

/**
 * The starts from which a booking of `slotsNeeded` consecutive slots of `units` units fits,
 * according to the availability the API gave (the API stays the judge: quotas, notice and
 * buffers are checked when booking).
 */
export function bookableStarts(slots: Slot[], slotsNeeded: number, units: number): string[] {
  const starts: string[] = [];
  for (let i = 0; i + slotsNeeded <= slots.length; i++) {
    let fits = true;
    for (let j = i; j < i + slotsNeeded; j++) {
      const s = slots[j]!;
      if (!s.open || s.free < units || (j > i && slots[j - 1]!.end !== s.start)) {
        fits = false;
        break;
      }
    }
    if (fits) starts.push(slots[i]!.start);
  }
  return starts;
}

/** The durations offered for a resource, in minutes: whole slots between its minimum and maximum (at most 12 choices). */
export function durationChoices(slotMinutes: number, minMinutes = slotMinutes, maxMinutes = 8 * 60): number[] {
  const min = Math.max(slotMinutes, Math.ceil(minMinutes / slotMinutes) * slotMinutes);
  const out: number[] = [];
  for (let m = min; m <= maxMinutes && out.length < 12; m += slotMinutes) out.push(m);
  return out;
}

export function plusMinutes(iso: string, minutes: number): string {
  return new Date(new Date(iso).getTime() + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

/** Groups catalogue categories by kind, as docs/api.md lists them. */
export const CATEGORIES: Record<string, string[]> = {
  PUBLIC: ['e-administration', 'e-health', 'home-care'],
  TERRITORIAL: ['schools', 'early-childhood', 'waste-management', 'tourism', 'culture'],
  PRIVATE: ['social-housing', 'energy-supply', 'heat-network', 'photovoltaic-rooftop', 'village-solar-plant', 'telecom'],
  PEER: ['knowledge-exchange', 'equipment-sharing', 'service-sharing', 'neighbourhood-app', 'concierge', 'festive-event', 'shared-workshop', 'solidarity-place', 'ressourcerie'],
  PROFESSIONAL: ['company', 'craftsman', 'shop', 'service-provider'],
  BUSINESS: ['shared-business-service', 'business-hotel', 'incubator', 'coworking'],
};

export const RESOURCE_KINDS = ['CAR_SHARING', 'SHARED_PARKING', 'COMMON_ROOM', 'SHARED_WORKSHOP', 'FESTIVE_HALL', 'COWORKING_DESK', 'BUSINESS_HOTEL_OFFICE', 'INCUBATOR_SPACE', 'LENT_EQUIPMENT'];

/** The offset of a time zone from UTC at an instant, in minutes (Paris in winter: 60). */
function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at) / 60_000;
}

/**
 * The instant (ISO 8601 UTC) of a wall-clock time (`YYYY-MM-DDTHH:mm`, what a datetime-local field gives) in the
 * territory's time zone; an hour skipped by a daylight-saving change moves forward, as calendar apps do.
 */
export function zonedToInstant(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  // The offsets in force around that wall-clock time; a repeated hour has two readings (take the earlier, as
  // java.time does), a skipped one none (then the offset before the change moves it forward).
  const before = offsetMinutes(wall - 12 * 3_600_000, timeZone);
  const after = offsetMinutes(wall + 12 * 3_600_000, timeZone);
  const valid = [before, after].map((o) => wall - o * 60_000).filter((at) => wall - offsetMinutes(at, timeZone) * 60_000 === at);
  const at = valid.length > 0 ? Math.min(...valid) : wall - before * 60_000;
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/** The wall-clock time (`YYYY-MM-DDTHH:mm`) of an instant in the territory's time zone, for a datetime-local field. */
export function instantToZoned(at: Date, timeZone: string): string {
  const shifted = new Date(at.getTime() + offsetMinutes(at.getTime(), timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** The statuses a report may move to from its status (functions/feedback ReportStatus.next() is the judge). */
export function nextStatuses(status: string): string[] {
  switch (status) {
    case 'OPEN':
      return ['ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'DUPLICATE'];
    case 'ACKNOWLEDGED':
      return ['IN_PROGRESS', 'RESOLVED', 'REJECTED', 'DUPLICATE'];
    case 'IN_PROGRESS':
      return ['RESOLVED', 'REJECTED', 'DUPLICATE'];
    default:
      return [];
  }
}

/** A week of slots as a grid: one column a local day, one row a local start time; a cell is the slot, or absent when closed. */
export interface WeekGrid {
  days: string[];
  times: string[];
  cell: (day: string, time: string) => Slot | undefined;
}

export function weekGrid(slots: Slot[], timeZone: string): WeekGrid {
  const time = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  const byKey = new Map<string, Slot>();
  const days = new Set<string>();
  const times = new Set<string>();
  for (const s of slots) {
    const day = localDay(new Date(s.start), timeZone);
    days.add(day);
    if (!s.open) continue;
    const at = time(s.start);
    times.add(at);
    byKey.set(`${day} ${at}`, s);
  }
  return { days: [...days].sort(), times: [...times].sort(), cell: (day, at) => byKey.get(`${day} ${at}`) };
}
