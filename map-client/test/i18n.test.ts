import { describe, expect, it } from 'vitest';
import { formatArea, formatDate, formatDistance, initialLanguage, messages, t } from '../src/app/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the UI strings', () => {
  it('have every key in both languages, never empty, with the same placeholders', () => {
    const viKeys = Object.keys(messages.vi).sort();
    expect(Object.keys(messages.en).sort()).toEqual(viKeys);
    for (const key of viKeys) {
      const vi = messages.vi[key as keyof typeof messages.vi];
      const en = messages.en[key as keyof typeof messages.en];
      expect(vi.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(placeholders(en), key).toEqual(placeholders(vi));
    }
  });

  it('are Vietnamese by default, with NFC diacritics', () => {
    expect(initialLanguage('', undefined)).toBe('vi');
    expect(initialLanguage('?lang=en', undefined)).toBe('en');
    expect(initialLanguage('', { getItem: () => 'en' })).toBe('en');
    expect(initialLanguage('?lang=vi', { getItem: () => 'en' })).toBe('vi');
    for (const text of Object.values(messages.vi)) expect(text).toBe(text.normalize('NFC'));
    expect(t('emergency.callLabel', { number: '113', service: 'Công an' }, 'vi')).toBe('Gọi 113: Công an');
  });

  it('write distances, areas and dates the way each language does', () => {
    expect(formatDistance(525, 'vi')).toBe('525 m');
    expect(formatDistance(1234, 'vi')).toBe('1,2 km');
    expect(formatDistance(1234, 'en')).toBe('1.2 km');
    expect(formatDistance(25_400, 'vi')).toBe('25 km');
    expect(formatArea(950, 'vi')).toBe('950 m²');
    expect(formatArea(125_000, 'vi')).toBe('12,5 ha');
    expect(formatArea(3_400_000, 'en')).toBe('3.4 km²');
    expect(formatDate('2016-11-28', 'vi')).toBe('28/11/2016');
    expect(formatDate('2016-11-28', 'en')).toBe('28 Nov 2016');
  });
});
