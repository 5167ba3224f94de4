import { describe, expect, it } from 'vitest';
import { asDateTime, asLocalized, asMessage, asNumber, formatCoordinates, t } from '../src/app/i18n.ts';

describe('language-dependent message parameters', () => {
  it('format a moment, a number, a nested message and a two-language name for the language asked', () => {
    const params = { office: asLocalized({ vi: 'UBND phường Mường Thanh', en: "Muong Thanh Ward People's Committee" }), due: asDateTime('2026-11-28T07:05:00Z') };
    expect(t('report.sentDetail', params, 'vi')).toBe('UBND phường Mường Thanh sẽ xử lý, hạn giải quyết 14:05 28/11/2026.');
    expect(t('report.sentDetail', params, 'en')).toBe("Muong Thanh Ward People's Committee will handle it, due 28 Nov 2026, 14:05.");
    expect(t('units.hectares', { value: asNumber(1234.5, 1) }, 'vi')).toBe(t('units.hectares', { value: '1.234,5' }, 'vi'));
    expect(t('units.hectares', { value: asNumber(1234.5, 1) }, 'en')).toBe(t('units.hectares', { value: '1,234.5' }, 'en'));
    expect(t('report.sentDetail', { office: asMessage('view.citizen'), due: '—' }, 'en')).toBe(`${t('view.citizen', {}, 'en')} will handle it, due —.`);
  });

  it('fall back to Vietnamese when a name has no English', () => {
    expect(t('report.sentDetail', { office: asLocalized({ vi: 'Phòng Kinh tế' }), due: '—' }, 'en')).toBe('Phòng Kinh tế will handle it, due —.');
  });
});

describe('coordinates', () => {
  it('read unambiguously in both languages and copy with a decimal point, latitude first', () => {
    expect(formatCoordinates([103.0205, 21.3846], 'vi')).toEqual({ text: '21,3846° B, 103,0205° Đ', plain: '21.384600, 103.020500' });
    expect(formatCoordinates([103.0205, 21.3846], 'en')).toEqual({ text: '21.3846° N, 103.0205° E', plain: '21.384600, 103.020500' });
    expect(formatCoordinates([-0.5, -33.25], 'en').text).toBe('33.2500° S, 0.5000° W');
  });
});
