import { getLanguage, type Language, type Message } from './i18n.ts';

/**
 * Messages that belong to one lazy chunk (the office desk, the admin console): they load with the
 * chunk, so the citizen entry does not carry them. Same rules as i18n.ts: Vietnamese first, English
 * with exactly the same keys (the compiler checks it), `{name}` placeholders, and plural forms chosen
 * by a numeric `count`.
 */
export interface ChunkMessages<Key extends string> {
  readonly messages: Readonly<Record<Language, Readonly<Record<Key, Message>>>>;
  /** The message in the current language (or the one given), with its placeholders filled. */
  t(key: Key, parameters?: Readonly<Record<string, string | number>>, language?: Language): string;
  has(key: string): key is Key;
}

export function defineChunkMessages<const Vi extends Record<string, Message>>(vi: Vi, en: { readonly [K in keyof Vi]: Message }): ChunkMessages<keyof Vi & string> {
  type Key = keyof Vi & string;
  const messages = { vi, en } as unknown as Record<Language, Record<Key, Message>>;
  const rules = new Map<Language, Intl.PluralRules>();
  return {
    messages,
    t(key, parameters = {}, language = getLanguage()) {
      const message = messages[language][key];
      let template: string;
      if (typeof message === 'string') template = message;
      else {
        let plural = rules.get(language);
        if (!plural) rules.set(language, (plural = new Intl.PluralRules(language)));
        template = message[plural.select(Number(parameters.count))] ?? message.other;
      }
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in parameters ? String(parameters[name]) : whole));
    },
    has(key): key is Key {
      return Object.prototype.hasOwnProperty.call(vi, key);
    },
  };
}
