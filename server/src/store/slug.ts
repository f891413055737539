import { randomInt } from 'node:crypto';
import transliterate from 'slugify';

/** Longest slug taken from a title; the id adds '-' and a 6-character random suffix. */
export const SLUG_MAX = 40;
const SUFFIX_LENGTH = 6;
const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A slug from a title or a name: ASCII a–z, 0–9 and single dashes, at most `max` characters,
 * never starting or ending with a dash. Letters are transliterated by the `slugify` package's
 * character map, which knows Azerbaijani (ə→e, ı→i, İ→i, ğ→g, ö→o, ü→u, ş→s, ç→c) and Russian
 * (ж→zh, ш→sh …); other accented Latin letters lose their accents; anything else (CJK, emoji,
 * punctuation) separates words or is dropped. May be empty. `aygün məmmədova` → `aygun-memmedova`.
 */
export function slugify(title: string, max = SLUG_MAX): string {
  // Every run of non-letters and non-digits is a word break (the library would drop '/' or '_').
  const words = title.replace(/[^\p{L}\p{N}]+/gu, ' ');
  const ascii = transliterate(words, { lower: true, trim: true })
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

/** `count` random base36 characters (crypto-strong). */
export function randomBase36(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += BASE36[randomInt(BASE36.length)];
  return out;
}

/** A new lecture id: the title's slug (or `lecture` when nothing is left of it) + '-' + 6 random base36 characters. */
export function lectureIdFor(title: string): string {
  return `${slugify(title) || 'lecture'}-${randomBase36(SUFFIX_LENGTH)}`;
}
