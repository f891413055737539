// Recordings as the pages show them: the REC clock, durations, sizes, statuses, the chapter list,
// viewing tokens and the playback page's sentences.
import { describe, expect, it } from 'vitest';
import {
  chapterList,
  currentChapter,
  formatHms,
  formatLength,
  formatMegabytes,
  formatOffset,
  isInProgress,
  playbackProblem,
  progressPercent,
  recElapsed,
  recordingUrls,
  statusLabel,
  viewTokenOf,
  warningText,
} from '../src/view/recordings.js';
import { createI18n } from '../src/i18n/index.js';

const en = createI18n('en').t;

describe('the REC badge clock', () => {
  it('counts mm:ss, then h:mm:ss past an hour', () => {
    const since = 1_700_000_000_000;
    expect(recElapsed(since, since)).toBe('00:00');
    expect(recElapsed(since, since + 999)).toBe('00:00');
    expect(recElapsed(since, since + 192_000)).toBe('03:12');
    expect(recElapsed(since, since + 59 * 60_000 + 59_999)).toBe('59:59');
    expect(recElapsed(since, since + 3_600_000)).toBe('1:00:00');
    expect(recElapsed(since, since + 3_600_000 + 62_000)).toBe('1:01:02');
  });

  it('never goes negative when the server clock is a little ahead', () => {
    expect(recElapsed(10_000, 8_000)).toBe('00:00');
    expect(recElapsed(10_000, Number.NaN)).toBe('00:00');
  });
});

describe('durations, sizes and statuses', () => {
  it('formats a duration as h:mm:ss, and unknown as a dash', () => {
    expect(formatHms(0)).toBe('0:00:00');
    expect(formatHms(245_000)).toBe('0:04:05');
    expect(formatHms(5_400_000)).toBe('1:30:00');
    expect(formatHms(36_000_000 + 1_500)).toBe('10:00:01');
    expect(formatHms(-5)).toBe('0:00:00');
    expect(formatHms(null)).toBe('—');
  });

  it('formats chapter offsets short', () => {
    expect(formatOffset(0)).toBe('0:00');
    expect(formatOffset(245_000)).toBe('4:05');
    expect(formatOffset(3_723_000)).toBe('1:02:03');
  });

  it('formats sizes in MB', () => {
    expect(formatMegabytes(0)).toBe('0.0 MB');
    expect(formatMegabytes(400_000)).toBe('0.4 MB');
    expect(formatMegabytes(12_345_678)).toBe('12.3 MB');
    expect(formatMegabytes(1_530_000_000)).toBe('1530 MB');
    expect(formatMegabytes(Number.NaN)).toBe('0.0 MB');
  });

  it('knows which statuses still change', () => {
    expect(['recording', 'stopped', 'interrupted', 'processing'].every((s) => isInProgress(s as never))).toBe(true);
    expect(isInProgress('ready')).toBe(false);
    expect(isInProgress('failed')).toBe(false);
  });

  it('clamps progress to a whole 0–100', () => {
    expect(progressPercent(42.7)).toBe(42);
    expect(progressPercent(-3)).toBe(0);
    expect(progressPercent(130)).toBe(100);
    expect(progressPercent(Number.NaN)).toBe(0);
  });
});

describe('the chapter list', () => {
  it('sorts chapters, puts their kinds into the reader\'s language and gives seconds and labels', () => {
    const chapters = [
      { atMs: 65_000, kind: 'floor' as const, names: ['Gəncə'] },
      { atMs: 0, kind: 'start' as const },
      { atMs: 30_000, kind: 'slides' as const },
    ];
    expect(chapterList(chapters, 120_000, 'en')).toEqual([
      { atMs: 0, seconds: 0, title: 'Lecture start', label: '0:00' },
      { atMs: 30_000, seconds: 30, title: 'Slides', label: '0:30' },
      { atMs: 65_000, seconds: 65, title: 'Floor: Gəncə', label: '1:05' },
    ]);
    expect(chapterList(chapters, 120_000, 'az').map((c) => c.title)).toEqual(['Mühazirənin başlanğıcı', 'Slaydlar', 'Söz: Gəncə']);
    expect(chapterList(chapters, 120_000, 'ru').map((c) => c.title)).toEqual(['Начало лекции', 'Слайды', 'Слово: Gəncə']);
  });

  it('drops chapters past the end, merges bursts and starts at 0', () => {
    const list = chapterList(
      [
        { atMs: 10_000, kind: 'floor', names: ['Gəncə'] },
        { atMs: 10_400, kind: 'floor', names: ['Şəki'] },
        { atMs: 200_000, kind: 'answered', text: 'Too late' },
      ],
      60_000,
      'en',
    );
    expect(list.map((c) => [c.atMs, c.title])).toEqual([
      [0, 'Lecture start'],
      [10_000, 'Floor: Şəki'],
    ]);
  });

  it('moves a chapter just after the start to 0, and keeps all when the length is unknown', () => {
    expect(chapterList([{ atMs: 300, kind: 'answered', text: ' When\nis it? ' }], 60_000, 'en')).toEqual([
      { atMs: 0, seconds: 0, title: 'Answered: When is it?', label: '0:00' },
    ]);
    expect(chapterList([{ atMs: 500_000, kind: 'slides' }], null, 'en').map((c) => c.title)).toEqual(['Lecture start', 'Slides']);
    expect(chapterList([], 60_000, 'en')).toEqual([]);
  });

  it('finds the chapter playing now', () => {
    const list = chapterList(
      [
        { atMs: 0, kind: 'start' },
        { atMs: 30_000, kind: 'slides' },
      ],
      60_000,
      'en',
    );
    expect(currentChapter(list, 0)).toBe(0);
    expect(currentChapter(list, 29.9)).toBe(1); // a seek lands a hair early
    expect(currentChapter(list, 29)).toBe(0);
    expect(currentChapter(list, 45)).toBe(1);
    expect(currentChapter([], 45)).toBe(-1);
  });
});

describe('viewing links', () => {
  it('takes the token out of a viewing link', () => {
    expect(viewTokenOf('https://teleclass.example/recordings/abc?token=v.1%2B2')).toBe('v.1+2');
    expect(viewTokenOf('/recordings/abc?token=t')).toBe('t');
    expect(viewTokenOf('https://teleclass.example/recordings/abc')).toBeNull();
    expect(viewTokenOf(undefined)).toBeNull();
  });

  it('builds the video, download and chapter addresses', () => {
    expect(recordingUrls('r-1', 'a+b', 'ru')).toEqual({
      video: '/api/recordings/r-1/video?token=a%2Bb',
      download: '/api/recordings/r-1/video?download=1&token=a%2Bb',
      chapters: '/api/recordings/r-1/chapters.vtt?token=a%2Bb&lang=ru',
    });
  });

  it('says what went wrong, by status and code', () => {
    expect(en(playbackProblem(401, 'UNAUTHORIZED').titleKey)).toMatch(/not valid/);
    expect(en(playbackProblem(403, 'FORBIDDEN').titleKey)).toMatch(/another recording/);
    expect(en(playbackProblem(404, 'NOT_FOUND').titleKey)).toMatch(/does not exist/);
    expect(playbackProblem(409, 'NOT_READY', 'status processing, 40 %')).toEqual({
      titleKey: 'player.notReady',
      detailKey: 'player.problem.notReadyDetail',
      detailText: 'status processing, 40 %',
    });
    expect(en(playbackProblem(0, 'NETWORK').titleKey)).toMatch(/cannot be reached/);
    const other = playbackProblem(500, 'INTERNAL');
    expect(en(other.detailKey, other.values)).toBe('The server answered 500.');
  });
});

describe("the check's warnings on a ready recording", () => {
  it('words each kind for the admin page', () => {
    expect(warningText({ kind: 'black', blackMs: 303_400, spans: [{ fromMs: 200_000, toMs: 368_000 }, { fromMs: 65_000, toMs: 200_000 }] }, en)).toBe(
      'The picture is black for 5 min 03 s while the camera or slides were on, first at 1:05.',
    );
    expect(warningText({ kind: 'duration', expectedMs: 360_000, actualMs: 65_000 }, en)).toBe('The video is 0:01:05 long, but 0:06:00 were recorded.');
    expect(warningText({ kind: 'unchecked', reason: 'x' }, en)).toMatch(/could not be checked/);
    expect(formatLength(4000)).toBe('4 s');
    expect(formatLength(3_725_000)).toBe('1 h 02 min');
  });

  it('says "Ready, with a warning" only for a ready recording that has some', () => {
    expect(statusLabel({ status: 'ready', warnings: [] }, en)).toBe('Ready');
    expect(statusLabel({ status: 'ready' }, en)).toBe('Ready');
    expect(statusLabel({ status: 'ready', warnings: [{ kind: 'unchecked', reason: '' }] }, en)).toBe('Ready, with a warning');
    expect(statusLabel({ status: 'ready', warnings: [{ kind: 'unchecked', reason: '' }, { kind: 'duration', expectedMs: 1, actualMs: 0 }] }, en)).toBe(
      'Ready, with 2 warnings',
    );
    expect(statusLabel({ status: 'processing', warnings: [{ kind: 'unchecked', reason: '' }] }, en)).toBe('Processing');
  });
});
