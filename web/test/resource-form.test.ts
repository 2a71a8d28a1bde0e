import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api';
import { apiFieldErrors, emptyResourceForm, resourceCommand, type ResourceForm } from '../src/resource-form';

const form = (extra: Partial<ResourceForm> = {}): ResourceForm => ({ ...emptyResourceForm('mairie', 'centre'), name: ' Salle du Marché ', ...extra });
const problems = (f: ResourceForm) => {
  const r = resourceCommand(f);
  return 'problems' in r ? Object.fromEntries(Object.entries(r.problems).map(([k, v]) => [k, v.key])) : {};
};

describe('a new resource, checked as POST /resources checks it', () => {
  it('sends what is filled in, trimmed, and leaves the rest to the API’s defaults', () => {
    expect(resourceCommand(form())).toEqual({ command: { kind: 'COMMON_ROOM', name: 'Salle du Marché', organisationId: 'mairie', district: 'centre', capacity: 1, slotMinutes: 60 } });
  });
  it('sends every field the API takes', () => {
    const r = resourceCommand(form({
      kind: 'CAR_SHARING', description: 'Une Zoé', address: '1 avenue Jean Jaurès', latitude: '45,76', longitude: '4.83', capacity: '2', slotMinutes: '30',
      days: { MONDAY: '07:00-22:00', SATURDAY: '08:00-12:00, 14:00–20:00' }, timeZone: 'Europe/Paris', minDurationMinutes: '60',
      maxDurationMinutes: '720', minNoticeMinutes: '0', maxAdvanceDays: '30', bufferMinutes: '30', scope: 'DISTRICTS', eligibleDistricts: 'centre, gare',
      requiresApproval: true, linkedDeviceId: 'lock-zoe-1',
    }));
    expect(r).toEqual({ command: {
      kind: 'CAR_SHARING', name: 'Salle du Marché', description: 'Une Zoé', address: '1 avenue Jean Jaurès', organisationId: 'mairie', district: 'centre',
      location: { latitude: 45.76, longitude: 4.83 }, capacity: 2, slotMinutes: 30, minDurationMinutes: 60, maxDurationMinutes: 720,
      minNoticeMinutes: 0, maxAdvanceDays: 30, bufferMinutes: 30, timeZone: 'Europe/Paris',
      openingHours: { MONDAY: ['07:00-22:00'], SATURDAY: ['08:00-12:00', '14:00-20:00'] },
      eligibility: { scope: 'DISTRICTS', districts: ['centre', 'gare'] }, requiresApproval: true, linkedDeviceId: 'lock-zoe-1',
    } });
  });
  it('names each refused field with the API’s own field name', () => {
    expect(problems(form({ name: 'S', district: 'Centre Ville', capacity: '0', latitude: '91' }))).toEqual({
      name: 'rform.err.tooShort', district: 'rform.err.id', capacity: 'rform.err.range',
      'location.latitude': 'rform.err.range', 'location.longitude': 'rform.err.required',
    });
    expect(problems(form({ name: '', district: '', capacity: '' }))).toEqual({ name: 'rform.err.required', district: 'rform.err.required', capacity: 'rform.err.required' });
  });
  it('keeps times on the slot grid: the slot divides the day, durations and buffer are whole slots, periods on its boundaries', () => {
    expect(problems(form({ slotMinutes: '7' }))).toEqual({ slotMinutes: 'rform.err.slot' });
    expect(problems(form({ slotMinutes: '30', minDurationMinutes: '45', bufferMinutes: '10' }))).toEqual({
      minDurationMinutes: 'rform.err.wholeSlots', bufferMinutes: 'rform.err.wholeSlots' });
    expect(problems(form({ minDurationMinutes: '240', maxDurationMinutes: '120' }))).toEqual({ minDurationMinutes: 'rform.err.minOverMax' });
    expect(problems(form({ slotMinutes: '15', maxDurationMinutes: '1500' }))).toEqual({ maxDurationMinutes: 'rform.err.tooManySlots' });
    expect(problems(form({ days: { MONDAY: '08:30-12:00', TUESDAY: '8h-12h', WEDNESDAY: '12:00-08:00', THURSDAY: '00:00-24:00' } }))).toEqual({
      'openingHours.MONDAY': 'rform.err.slotBoundaries', 'openingHours.TUESDAY': 'rform.err.periods', 'openingHours.WEDNESDAY': 'rform.err.periods' });
  });
  it('checks the time zone, the whole numbers and who may book', () => {
    expect(problems(form({ timeZone: 'Paris', maxAdvanceDays: '1.5', minNoticeMinutes: '-1' }))).toEqual({
      timeZone: 'rform.err.zone', maxAdvanceDays: 'rform.err.wholeNumber', minNoticeMinutes: 'rform.err.range' });
    expect(problems(form({ scope: 'DISTRICTS', eligibleDistricts: ' ' }))).toEqual({ 'eligibility.districts': 'rform.err.required' });
    expect(problems(form({ scope: 'ORGANISATION' }))).toEqual({ 'eligibility.organisationId': 'rform.err.required' });
    expect(resourceCommand(form({ scope: 'ORGANISATION', eligibleOrganisation: 'asso-jardins' }))).toMatchObject({ command: { eligibility: { scope: 'ORGANISATION', organisationId: 'asso-jardins' } } });
  });
  it('reads the API’s field errors from its problem+json', () => {
    const refused = new ApiError({ status: 400, errors: [{ field: 'organisationId', pointer: '/organisationId', detail: 'is required: name the operating organisation' }] });
    expect(apiFieldErrors(refused)).toEqual({ organisationId: 'is required: name the operating organisation' });
    expect(apiFieldErrors(new Error('x'))).toEqual({});
  });
});
