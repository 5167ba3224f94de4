import { h } from '../app/dom.ts';
import { asLocalized, i18nAttributes, t, type Language, type LanguageParameter, type MessageKey, type ParameterValue } from '../app/i18n.ts';

/**
 * The report screens' way to put a message on the page: the element is marked with its key (and
 * parameters), so the page's one translation pass (`translateDom`, run when the language changes)
 * translates it again, whether or not the screen is redrawn; so an open form keeps what was typed
 * and still changes language.
 */
export type Params = Readonly<Record<string, ParameterValue>>;
type Attributes = Record<string, string | boolean | number | undefined | null>;

const translate = t as (key: MessageKey, params?: Params) => string;

/** `<tag attributes>message</tag>`, marked for translation. */
export function marked<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes, key: MessageKey, params?: Params): HTMLElementTagNameMap[K] {
  return h(tag, { ...attributes, ...i18nAttributes(key, params) }, translate(key, params ?? {}));
}

/** An aria-label from a message, marked for translation. */
export function markedLabel(key: MessageKey, params?: Params): Attributes {
  const attributes: Attributes = { 'data-i18n-label': key, 'aria-label': translate(key, params ?? {}) };
  if (params && Object.keys(params).length) attributes['data-i18n-params'] = JSON.stringify(params);
  return attributes;
}

/** A value some formatter writes per language (a distance, a size), as a parameter translated with its message. */
export function inBothLanguages(format: (language: Language) => string): LanguageParameter {
  return asLocalized({ vi: format('vi'), en: format('en') });
}
