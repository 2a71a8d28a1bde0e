import { en } from './en';
import { fr, type Key } from './fr';
import type { Locale } from '../format';

export type { Key };
export type T = (key: Key, params?: Record<string, string | number>) => string;

export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): T {
  const catalogue: Record<Key, string> = locale === 'en' ? en : fr;
  return (key, params) => interpolate(catalogue[key] ?? fr[key], params);
}
