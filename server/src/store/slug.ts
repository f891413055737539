import { randomInt } from 'node:crypto';

/** Longest slug taken from a title; the id adds '-' and a 6-character random suffix. */
export const SLUG_MAX = 40;
const SUFFIX_LENGTH = 6;
const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Letters NFKD does not reduce to ASCII: Azerbaijani first, then Russian Cyrillic (titles may be in either). */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  ə: 'e', Ə: 'e', ı: 'i', I: 'i', İ: 'i', ğ: 'g', Ğ: 'g', ö: 'o', Ö: 'o', ü: 'u', Ü: 'u', ş: 's', Ş: 's', ç: 'c', Ç: 'c',
  ß: 'ss', æ: 'ae', Æ: 'ae', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ł: 'l', Ł: 'l',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ҹ: 'c', ғ: 'g', һ: 'h', ә: 'e', ө: 'o', ү: 'u', ј: 'y', қ: 'g',
};

/**
 * A slug from a title: ASCII a–z, 0–9 and single dashes, at most SLUG_MAX characters, never
 * starting or ending with a dash. Azerbaijani (and Russian) letters are transliterated, other
 * accented Latin letters lose their accents, anything else is dropped. May be empty.
 */
export function slugify(title: string): string {
  const ascii = [...title]
    .map((ch) => TRANSLITERATION[ch] ?? TRANSLITERATION[ch.toLowerCase()] ?? ch)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, SLUG_MAX).replace(/-+$/, '');
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
