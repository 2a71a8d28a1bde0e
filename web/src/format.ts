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
  const total = summary.histogram.reduce((a, b) => a + b, 0);
  return [5, 4, 3, 2, 1].map((stars) => {
    const count = summary.histogram[stars - 1] ?? 0;
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
