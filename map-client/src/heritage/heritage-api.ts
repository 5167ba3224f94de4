import type { BilingualText, HeritageSite, HeritageSiteList, HeritageSiteSummary } from '@bandoso/contracts';
import { fetchJson } from '../app/api-client.ts';
import type { Language } from '../app/i18n.ts';

/** The platform's heritage API (api/src/modules/heritage; shapes in @bandoso/contracts). */
export const heritageSiteUrl = (code: string): string => `/api/heritage/${encodeURIComponent(code)}`;

export function loadHeritageSites(init: RequestInit = {}): Promise<HeritageSiteList> {
  return fetchJson<HeritageSiteList>('/api/heritage', init);
}

export function loadHeritageSite(code: string, init: RequestInit = {}): Promise<HeritageSite> {
  return fetchJson<HeritageSite>(heritageSiteUrl(code), init);
}

/** A text in the page's language (Vietnamese when the English one is missing). */
export function localText(text: BilingualText, language: Language): string {
  return (language === 'en' ? text.en : text.vi) || text.vi;
}

/**
 * A site's opening hours for the page's language. They are free text from the province's data, in
 * Vietnamese; in English the common "hằng ngày" (daily) is translated, and what stays Vietnamese is
 * marked `lang="vi"` so that a screen reader pronounces it as such.
 */
export function openingHoursText(text: string, language: Language): { text: string; lang?: 'vi' } {
  if (language === 'vi') return { text };
  const translated = text.replace(/\s*(?:hằng|hàng) ngày\s*$/iu, ' daily').trim();
  // Letters that only Vietnamese uses here (ă â đ ê ô ơ ư and the tone marks of Latin Extended Additional).
  return /[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9]/u.test(translated) ? { text: translated, lang: 'vi' } : { text: translated };
}

/** Sites with a 3D tour first (more stops first), then the others, each group by name. */
export function orderSites(sites: readonly HeritageSiteSummary[], language: Language): HeritageSiteSummary[] {
  const collator = new Intl.Collator(language === 'vi' ? 'vi' : 'en');
  return [...sites].sort((a, b) => Number(b.tileset !== null) - Number(a.tileset !== null) || Number(b.stops > 0) - Number(a.stops > 0) || collator.compare(localText(a.name, language), localText(b.name, language)));
}

export { tourCodeFromPath, tourPath } from '@bandoso/contracts';
