import { describe, expect, it } from 'vitest';
import { dayBars, metricsOf, weekEnding } from '../src/pages/districts';
import { newDeviceCommand, type DeviceForm } from '../src/pages/devices-desk';
import { parseRoute } from '../src/router';

const day = (period: string, extra: Record<string, unknown>) => ({ district: 'centre', kind: 'ELECTRICITY_METER' as const, period, devices: 0, suppressed: false, ...extra });

describe('district aggregates as a chart', () => {
  it('draw no bar for a withheld day, never a zero, and size the others on the largest figure', () => {
    const bars = dayBars([
      day('2026-11-30', { devices: 12, households: 11, consumption: 40 }),
      day('2026-12-01', { devices: 3, suppressed: true, reason: 'fewer than 10 households contribute' }),
      day('2026-12-02', { devices: 12, households: 12, consumption: 20 }),
      day('2026-12-03', { devices: 0 }),
    ]);
    expect(bars.map((b) => b.state)).toEqual(['value', 'withheld', 'value', 'empty']);
    expect(bars[1]).not.toHaveProperty('value');
    expect(bars[0]).toMatchObject({ value: 40, share: 1 });
    expect(bars[2]).toMatchObject({ value: 20, share: 0.5 });
  });
  it('read a gauge metric’s average, and a zero measured is a bar of zero, not a withheld day', () => {
    const week = [
      day('2026-12-01', { kind: 'AIR_QUALITY', devices: 1, metrics: { pm2_5_ugm3: { average: 12, min: 3, max: 30 }, no2_ugm3: { average: 4 } } }),
      day('2026-12-02', { kind: 'AIR_QUALITY', devices: 1, metrics: { pm2_5_ugm3: { average: 0, min: 0, max: 0 } } }),
    ];
    expect(metricsOf(week)).toEqual(['pm2_5_ugm3', 'no2_ugm3']);
    expect(dayBars(week, 'pm2_5_ugm3').map((b) => (b.state === 'value' ? b.value : b.state))).toEqual([12, 0]);
    expect(dayBars(week, 'no2_ugm3').map((b) => b.state)).toEqual(['value', 'empty']);
  });
  it('show the seven days ending on a day, across a month', () => {
    expect(weekEnding('2026-12-02')).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });
});

describe('device registration', () => {
  const form: DeviceForm = { id: '', kind: 'AIR_QUALITY', district: ' centre ', ownerId: 'resident-42', name: '', latitude: '45,764', longitude: '', csr: '' };
  it('leaves out what is empty, reads a decimal comma, and sends an owner only for a home device', () => {
    expect(newDeviceCommand(form)).toEqual({ kind: 'AIR_QUALITY', district: 'centre', latitude: 45.764 });
    expect(newDeviceCommand({ ...form, kind: 'WATER_METER', id: 'meter-7' })).toEqual({ kind: 'WATER_METER', district: 'centre', id: 'meter-7', ownerId: 'resident-42', latitude: 45.764 });
  });
});

describe('the agents’ tools routes', () => {
  it('open each tool under #/desk and nothing else', () => {
    expect(parseRoute('#/desk/moderation')).toEqual({ name: 'deskTool', tool: 'moderation' });
    expect(parseRoute('#/desk/open311')).toEqual({ name: 'deskTool', tool: 'open311' });
    expect(parseRoute('#/desk')).toEqual({ name: 'desk' });
    expect(parseRoute('#/desk/secrets')).toEqual({ name: 'notFound' });
  });
});

describe('opening hours as typed', () => {
  it('read periods separated by commas or spaces, leave closed days out, and name the day not understood', async () => {
    const { openingHoursFrom, periodsFrom } = await import('../src/pages/resources-desk');
    expect(periodsFrom('08:00-12:00, 14:00–20:00')).toEqual(['08:00-12:00', '14:00-20:00']);
    expect(periodsFrom('')).toEqual([]);
    expect(periodsFrom('8h-12h')).toBeNull();
    expect(openingHoursFrom({ MONDAY: '09:00-18:00', SUNDAY: ' ' })).toEqual({ hours: { MONDAY: ['09:00-18:00'] } });
    expect(openingHoursFrom({ MONDAY: '09:00-18:00', TUESDAY: 'matin' })).toEqual({ invalid: 'TUESDAY' });
  });
});
