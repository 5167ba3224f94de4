import { describe, expect, it } from 'vitest';
import { formatArea, formatDate, formatDistance, initialLanguage, messages, t, type Message } from '../src/app/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
/** A message's texts: itself, or each of its plural forms. */
const texts = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message));

describe('the UI strings', () => {
  it('have every key in both languages, never empty, with the same placeholders', () => {
    const viKeys = Object.keys(messages.vi).sort();
    expect(Object.keys(messages.en).sort()).toEqual(viKeys);
    for (const key of viKeys) {
      const [vi] = texts(messages.vi[key as keyof typeof messages.vi]);
      for (const en of texts(messages.en[key as keyof typeof messages.en])) {
        expect(vi!.trim(), key).not.toBe('');
        expect(en.trim(), key).not.toBe('');
        expect(placeholders(en), key).toEqual(placeholders(vi!));
      }
    }
  });

  it('are Vietnamese by default, with NFC diacritics', () => {
    expect(initialLanguage('', undefined)).toBe('vi');
    expect(initialLanguage('?lang=en', undefined)).toBe('en');
    expect(initialLanguage('', { getItem: () => 'en' })).toBe('en');
    expect(initialLanguage('?lang=vi', { getItem: () => 'en' })).toBe('vi');
    for (const message of Object.values(messages.vi)) expect(typeof message).toBe('string');
    for (const text of Object.values(messages.vi).flatMap(texts)) expect(text).toBe(text.normalize('NFC'));
    expect(t('emergency.callLabel', { number: '113', service: 'Công an' }, 'vi')).toBe('Gọi 113: Công an');
  });

  it('count in English with plural forms ("1 report", "2 reports"); Vietnamese has none', () => {
    expect(t('citizen.queueSummary', { count: 1 }, 'en')).toBe('1 report waiting to be sent');
    expect(t('citizen.queueSummary', { count: 2 }, 'en')).toBe('2 reports waiting to be sent');
    expect(t('citizen.queueSummary', { count: 0 }, 'en')).toBe('0 reports waiting to be sent');
    expect(t('citizen.queueSummary', { count: 1 }, 'vi')).toBe('1 phản ánh đang chờ gửi');
    expect(t('detail.followers', { count: 1 }, 'en')).toBe('1 follower');
    expect(t('planning.changesSummary', { count: 1, version: '2016' }, 'en')).toBe('1 zone changed since version 2016.');
    expect(t('planning.unitFloors', { value: '1', count: 1 }, 'en')).toBe('1 floor');
    expect(t('planning.unitFloors', { value: '1.5', count: 1.5 }, 'en')).toBe('1.5 floors');
  });

  it('have no English message that puts a count before a plural noun without plural forms', () => {
    for (const [key, message] of Object.entries(messages.en)) {
      if (typeof message === 'string') expect(message, key).not.toMatch(/\{count\} \w+s\b/);
      else expect(t(key as keyof typeof messages.en, { count: 1 }, 'en'), key).not.toMatch(/\b1 \w+s\b/);
    }
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
