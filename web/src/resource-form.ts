/**
 * The form that offers a pooled resource (POST /resources), and the same checks as the API's
 * (ResourceService.validate in functions/bookings): each refusal is named by the API's own field name
 * ("capacity", "location.latitude", "openingHours.MONDAY" ...), so that a field error the page finds and one the
 * API answers in its problem+json are shown at the same place, next to the field.
 */
import { ApiError } from './api';
import type { components } from './generated/openapi';

type ResourceCommand = components['schemas']['ResourceCommand'];
export type ResourceKind = components['schemas']['ResourceKind'];
export type EligibilityScope = components['schemas']['Eligibility']['scope'];

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
/** The most slots a booking and its buffer may cover (ResourceService.MAX_SLOTS_PER_BOOKING: one DynamoDB transaction). */
export const MAX_SLOTS_PER_BOOKING = 96;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface ResourceForm {
  kind: ResourceKind;
  name: string;
  description: string;
  organisationId: string;
  district: string;
  address: string;
  latitude: string;
  longitude: string;
  capacity: string;
  slotMinutes: string;
  /** A day's periods as typed ("08:00-12:00, 14:00-20:00"); every day empty: always open. */
  days: Record<string, string>;
  timeZone: string;
  minDurationMinutes: string;
  maxDurationMinutes: string;
  minNoticeMinutes: string;
  maxAdvanceDays: string;
  bufferMinutes: string;
  scope: EligibilityScope;
  /** District ids separated by commas or spaces (scope DISTRICTS). */
  eligibleDistricts: string;
  eligibleOrganisation: string;
  requiresApproval: boolean;
  linkedDeviceId: string;
}

export function emptyResourceForm(organisationId = '', district = ''): ResourceForm {
  return {
    kind: 'COMMON_ROOM', name: '', description: '', organisationId, district, address: '', latitude: '', longitude: '',
    capacity: '1', slotMinutes: '60', days: Object.fromEntries(WEEKDAYS.map((d) => [d, ''])), timeZone: '',
    minDurationMinutes: '', maxDurationMinutes: '', minNoticeMinutes: '', maxAdvanceDays: '', bufferMinutes: '',
    scope: 'EVERYONE', eligibleDistricts: '', eligibleOrganisation: '', requiresApproval: false, linkedDeviceId: '',
  };
}

/** What is wrong, per field; the detail is a message key the page translates (with its parameters). */
export type Problems = Record<string, { key: string; params?: Record<string, string | number> }>;

const length = (s: string) => [...s.trim()].length;

/** A whole number as typed, undefined when empty, NaN when not a whole number. */
function integer(text: string): number | undefined {
  const s = text.trim();
  if (!s) return undefined;
  return /^-?[0-9]+$/.test(s) ? Number(s) : NaN;
}

/** A decimal number as typed (a French decimal comma read), undefined when empty, NaN when not a number. */
function decimal(text: string): number | undefined {
  const s = text.trim().replace(',', '.');
  if (!s) return undefined;
  return /^-?[0-9]+(\.[0-9]+)?$/.test(s) ? Number(s) : NaN;
}

/** Minutes since midnight of HH:MM, 00:00 to 24:00; NaN otherwise. */
function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! > 24 || m! > 59 || (h === 24 && m !== 0) ? NaN : h! * 60 + m!;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The command the form describes, empty fields left out (the API then takes its defaults: always open, the
 * territory's time zone, one slot at least and eight at most, no notice, 90 days ahead, no buffer, everyone); or
 * the fields refused, with the API's rules.
 */
export function resourceCommand(f: ResourceForm): { command: ResourceCommand } | { problems: Problems } {
  const problems: Problems = {};
  const refuse = (field: string, key: string, params?: Record<string, string | number>) => {
    if (!problems[field]) problems[field] = { key, params };
  };
  const range = (field: string, text: string, min: number, max: number, required = false) => {
    const n = integer(text);
    if (n === undefined) {
      if (required) refuse(field, 'rform.err.required');
    } else if (Number.isNaN(n)) refuse(field, 'rform.err.wholeNumber');
    else if (n < min || n > max) refuse(field, 'rform.err.range', { min, max });
    return n === undefined || Number.isNaN(n) ? undefined : n;
  };
  const text = (field: string, value: string, min: number, max: number, required = false) => {
    const n = length(value);
    if (n === 0) {
      if (required) refuse(field, 'rform.err.required');
    } else if (n < min) refuse(field, 'rform.err.tooShort', { min });
    else if (n > max) refuse(field, 'rform.err.tooLong', { max });
    return n === 0 ? undefined : value.trim();
  };

  const command: ResourceCommand = { kind: f.kind };
  command.name = text('name', f.name, 2, 120, true);
  command.description = text('description', f.description, 1, 2000);
  command.address = text('address', f.address, 3, 200);
  const organisation = f.organisationId.trim();
  if (organisation && !ID.test(organisation)) refuse('organisationId', 'rform.err.id');
  command.organisationId = organisation || undefined;
  const district = f.district.trim();
  if (!district) refuse('district', 'rform.err.required');
  else if (!ID.test(district)) refuse('district', 'rform.err.id');
  command.district = district || undefined;

  const lat = decimal(f.latitude);
  const lon = decimal(f.longitude);
  if (lat !== undefined || lon !== undefined) {
    if (lat === undefined) refuse('location.latitude', 'rform.err.required');
    else if (Number.isNaN(lat) || lat < -90 || lat > 90) refuse('location.latitude', 'rform.err.range', { min: -90, max: 90 });
    if (lon === undefined) refuse('location.longitude', 'rform.err.required');
    else if (Number.isNaN(lon) || lon < -180 || lon > 180) refuse('location.longitude', 'rform.err.range', { min: -180, max: 180 });
    if (lat !== undefined && lon !== undefined && !Number.isNaN(lat) && !Number.isNaN(lon)) command.location = { latitude: lat, longitude: lon };
  }

  command.capacity = range('capacity', f.capacity, 1, 10_000, true);
  const slotText = integer(f.slotMinutes);
  if (slotText === undefined) refuse('slotMinutes', 'rform.err.required');
  const slotOk = slotText !== undefined && !Number.isNaN(slotText) && slotText >= 5 && slotText <= 1440 && 1440 % slotText === 0;
  if (slotText !== undefined && !slotOk) refuse('slotMinutes', 'rform.err.slot');
  command.slotMinutes = slotOk ? slotText : undefined;
  // As the API does: a refused slot length still needs a stand-in for the checks that divide by it.
  const slot = slotOk ? slotText! : 60;
  const minDuration = range('minDurationMinutes', f.minDurationMinutes, 1, 60 * 24 * 31);
  const maxDuration = range('maxDurationMinutes', f.maxDurationMinutes, 1, 60 * 24 * 31);
  const minNotice = range('minNoticeMinutes', f.minNoticeMinutes, 0, 60 * 24 * 365);
  const maxAdvance = range('maxAdvanceDays', f.maxAdvanceDays, 1, 730);
  const buffer = range('bufferMinutes', f.bufferMinutes, 0, 60 * 24);
  const min = minDuration ?? slot;
  const max = maxDuration ?? slot * 8;
  const buf = buffer ?? 0;
  if (slotOk) {
    if (min % slot !== 0) refuse('minDurationMinutes', 'rform.err.wholeSlots', { slot });
    if (max % slot !== 0) refuse('maxDurationMinutes', 'rform.err.wholeSlots', { slot });
    if (buf % slot !== 0) refuse('bufferMinutes', 'rform.err.wholeSlots', { slot });
  }
  if (min > max) refuse('minDurationMinutes', 'rform.err.minOverMax');
  if ((max + buf) / slot > MAX_SLOTS_PER_BOOKING) refuse('maxDurationMinutes', 'rform.err.tooManySlots', { max: MAX_SLOTS_PER_BOOKING });
  Object.assign(command, { minDurationMinutes: minDuration, maxDurationMinutes: maxDuration, minNoticeMinutes: minNotice,
    maxAdvanceDays: maxAdvance, bufferMinutes: buffer });

  const zone = f.timeZone.trim();
  if (zone && (length(zone) > 64 || !validZone(zone))) refuse('timeZone', 'rform.err.zone');
  command.timeZone = zone || undefined;

  const hours: Record<string, string[]> = {};
  for (const day of WEEKDAYS) {
    const periods = (f.days[day] ?? '').split(/[,;\s]+/).map((p) => p.trim().replace(/[–—]/g, '-')).filter(Boolean);
    const field = `openingHours.${day}`;
    if (periods.length > 24) refuse(field, 'rform.err.periods');
    for (const p of periods) {
      const m = /^([0-9]{2}:[0-9]{2})-([0-9]{2}:[0-9]{2})$/.exec(p);
      if (!m) refuse(field, 'rform.err.periods');
      else {
        const from = minutesOf(m[1]!);
        const to = minutesOf(m[2]!);
        if (!(from < to)) refuse(field, 'rform.err.periods');
        else if (slotOk && (from % slot !== 0 || to % slot !== 0)) refuse(field, 'rform.err.slotBoundaries', { slot });
      }
    }
    if (periods.length > 0) hours[day] = periods;
  }
  // No day filled in: always open (the API's default); one filled in: the days left empty are closed.
  if (Object.keys(hours).length > 0) command.openingHours = hours;

  if (f.scope === 'DISTRICTS') {
    const districts = f.eligibleDistricts.split(/[,;\s]+/).map((d) => d.trim()).filter(Boolean);
    if (districts.length === 0) refuse('eligibility.districts', 'rform.err.required');
    else if (districts.length > 50) refuse('eligibility.districts', 'rform.err.tooMany', { max: 50 });
    else if (!districts.every((d) => ID.test(d))) refuse('eligibility.districts', 'rform.err.id');
    command.eligibility = { scope: 'DISTRICTS', districts };
  } else if (f.scope === 'ORGANISATION') {
    const org = f.eligibleOrganisation.trim();
    if (!org) refuse('eligibility.organisationId', 'rform.err.required');
    else if (length(org) > 64) refuse('eligibility.organisationId', 'rform.err.tooLong', { max: 64 });
    command.eligibility = { scope: 'ORGANISATION', organisationId: org };
  }
  if (f.requiresApproval) command.requiresApproval = true;
  command.linkedDeviceId = text('linkedDeviceId', f.linkedDeviceId, 1, 64);

  if (Object.keys(problems).length > 0) return { problems };
  for (const k of Object.keys(command) as (keyof ResourceCommand)[]) if (command[k] === undefined) delete command[k];
  return { command };
}

/** The field errors of an API refusal (problem+json `errors`), by the API's field name. */
export function apiFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.errors ?? []).map((e) => [e.field, e.detail]));
}
