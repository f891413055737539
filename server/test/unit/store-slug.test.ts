import { describe, expect, it } from 'vitest';
import { lectureIdSchema } from '@teleclass/shared';
import { trackFileBase } from '../../src/recording/LectureRecorder.js';
import { lectureIdFor, SLUG_MAX, slugify } from '../../src/store/slug.js';

describe('lecture slugs', () => {
  it.each([
    ['Dövlət qulluğu haqqında qanun', 'dovlet-qullugu-haqqinda-qanun'],
    ['ƏMƏK MƏCƏLLƏSİ', 'emek-mecellesi'],
    ['Şəki, Gəncə və Ağdaş: İqtisadi İnkişaf', 'seki-gence-ve-agdas-iqtisadi-inkisaf'],
    ['Çağırış — Üçüncü Ölçü', 'cagiris-ucuncu-olcu'],
    ['ıİiI ğĞ öÖ üÜ şŞ çÇ əƏ', 'iiii-gg-oo-uu-ss-cc-ee'],
    ['Budget Law 2026/11', 'budget-law-2026-11'],
    ['  --Hello__World!!  ', 'hello-world'],
    ['Café résumé naïve', 'cafe-resume-naive'],
    ['Государственная служба', 'gosudarstvennaya-sluzhba'],
    ['aygün məmmədova', 'aygun-memmedova'],
    ['Gülşən Əliyeva-Hüseynova', 'gulsen-eliyeva-huseynova'],
    ['Łódź Ærø, straße', 'lodz-aero-strasse'],
    ['数学 🎓', ''],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it(`cuts long titles to ${SLUG_MAX} characters without a trailing dash`, () => {
    const slug = slugify('Azərbaycan Respublikasının Dövlət Qulluğu haqqında Qanununun şərhi və tətbiqi');
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug).toBe('azerbaycan-respublikasinin-dovlet-qullug');
    expect(slugify('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b')).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  });

  it('an id is the slug, a dash and 6 random base36 characters; "lecture" when nothing is left of the title', () => {
    expect(lectureIdFor('Dövlət qulluğu')).toMatch(/^dovlet-qullugu-[a-z0-9]{6}$/);
    expect(lectureIdFor('🎓🎓')).toMatch(/^lecture-[a-z0-9]{6}$/);
  });

  it('every id is a valid lecture id (shared schema), at most 64 characters', () => {
    const titles = ['x', 'ə', '-', '9', 'A'.repeat(500), 'İ'.repeat(100), 'a-'.repeat(30), '', ' '];
    for (const title of titles) {
      const id = lectureIdFor(title);
      expect(id).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
      expect(id.length).toBeLessThanOrEqual(64);
      expect(lectureIdSchema.safeParse(id).success).toBe(true);
    }
  });
});

describe('recording file names', () => {
  it('transliterate Azerbaijani names (the issue saw aygu-n-m-mm-dova)', () => {
    expect(trackFileBase('trainer', 'aygün məmmədova', 'camera')).toBe('trainer-aygun-memmedova-camera');
    expect(trackFileBase('site', 'Şəki', 'microphone')).toBe('site-seki-microphone');
    expect(trackFileBase('attendee', 'İlkin Ağayev', 'microphone')).toBe('attendee-ilkin-agayev-microphone');
    expect(trackFileBase('attendee', '🎓', 'microphone')).toBe('attendee-someone-microphone');
    expect(trackFileBase('trainer', 'Ə'.repeat(100), 'screen')).toBe(`trainer-${'e'.repeat(40)}-screen`);
  });
});
