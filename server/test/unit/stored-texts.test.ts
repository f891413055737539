// Stored data holds kinds and names; shared/src/stored.ts puts them into the reader's language.
import { describe, expect, it } from 'vitest';
import { attendanceHeaders, chapterTitle, LANGUAGES, leaveReasonText, requestLanguage, roleName } from '@teleclass/shared';

describe('the language a request asks for', () => {
  it('takes ?lang= first, then Accept-Language by weight, else none', () => {
    expect(requestLanguage('ru', 'en-US')).toBe('ru');
    expect(requestLanguage('de', 'en-US,en;q=0.9')).toBe('en');
    expect(requestLanguage(undefined, 'de-DE,ru;q=0.8,en;q=0.9')).toBe('en');
    expect(requestLanguage(undefined, 'az-Latn-AZ')).toBe('az');
    expect(requestLanguage(undefined, 'ru;q=0,en;q=0.1')).toBe('en');
    expect(requestLanguage(['ru'], 'de')).toBeNull(); // ?lang=ru&lang=en is not a language
    expect(requestLanguage(undefined, 'de-DE, fr')).toBeNull();
    expect(requestLanguage(undefined, undefined)).toBeNull();
    expect(requestLanguage(undefined, ';;;,q=,=,')).toBeNull();
  });
});

describe('stored texts in three languages', () => {
  it('has every chapter kind, role, reason and header in every language, with the same shape', () => {
    for (const language of LANGUAGES) {
      for (const kind of ['start', 'slides', 'interrupted'] as const) expect(chapterTitle({ kind }, language)).toMatch(/\S/);
      expect(chapterTitle({ kind: 'floor', names: ['A'] }, language)).toContain('A');
      expect(chapterTitle({ kind: 'answered', text: 'Q?' }, language)).toContain('Q?');
      for (const role of ['trainer', 'site', 'attendee']) expect(roleName(role, language)).not.toBe(role);
      for (const reason of ['left', 'disconnected', 'removed', 'replaced', 'lecture-ended', 'server-restart']) {
        expect(leaveReasonText(reason, language)).not.toBe(reason);
      }
      expect(attendanceHeaders(language).session).toHaveLength(8);
      expect(attendanceHeaders(language).person).toHaveLength(5);
    }
    expect(leaveReasonText(null, 'az')).toBeNull();
    expect(leaveReasonText('something-new', 'ru')).toBe('something-new');
  });

  it('keeps names and question texts as they were said, tidied of control characters', () => {
    expect(chapterTitle({ kind: 'floor', names: ['Şəki\n', ' Gəncə 1 '] }, 'az')).toBe('Söz: Şəki, Gəncə 1');
    expect(chapterTitle({ kind: 'answered', text: 'x'.repeat(500) }, 'en').length).toBeLessThanOrEqual(200);
  });
});
