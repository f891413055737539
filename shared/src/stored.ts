/**
 * Stored data holds kinds and names, never sentences: a recording's chapters and the attendance
 * report are put into words here, in the language of whoever reads them (the player, the
 * chapters.vtt and CSV answers) or, for the chapters written into the MP4, the lecture's language.
 * Both sides import this file, so the server's files and the player's list say the same thing.
 * The words follow the interface's catalogs (client/src/i18n): lecture = mühazirə / лекция,
 * classroom = auditoriya / аудитория, trainer = təlimçi / преподаватель, floor = söz / слово.
 * No zod here (`@teleclass/shared/stored`, imported by the pages): the schemas of these shapes
 * are in protocol/stored.ts.
 */

export const LANGUAGES = ['az', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** The language when nobody asked for one of the three. */
export const DEFAULT_LANGUAGE: Language = 'az';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The language an HTTP request asks for: `?lang=` when it is one of ours, else the first of the
 * `Accept-Language` header's tags we speak (by weight), else null.
 */
export function requestLanguage(query: unknown, acceptLanguage: string | undefined): Language | null {
  if (isLanguage(query)) return query;
  if (!acceptLanguage) return null;
  const tags = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { base: tag.trim().toLowerCase().split(/[-_]/)[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return tags.map((t) => t.base).find(isLanguage) ?? null;
}

/** What a recording's chapter marks. Older recordings also carry an English `title`. */
export const CHAPTER_KINDS = ['start', 'slides', 'floor', 'answered', 'interrupted'] as const;
export type ChapterKind = (typeof CHAPTER_KINDS)[number];

/** A recording's chapter as stored (protocol/stored.ts: its schema, checked to be this type). */
export interface StoredChapter {
  atMs: number;
  kind: ChapterKind;
  /** floor: who was given it (empty: back to the trainer). */
  names?: string[] | undefined;
  /** answered: the question's text. */
  text?: string | undefined;
  /** Recordings made before chapters were stored as kinds: the English title they were given. */
  title?: string | undefined;
}

interface Words {
  chapter: Record<'start' | 'slides' | 'floorTo' | 'floorBack' | 'answered' | 'interrupted' | 'untitled', string>;
  role: Record<'trainer' | 'site' | 'attendee', string>;
  sessionHeader: readonly string[];
  personHeader: readonly string[];
  leave: Record<string, string>;
}

const WORDS: Record<Language, Words> = {
  az: {
    chapter: {
      start: 'Mühazirənin başlanğıcı',
      slides: 'Slaydlar',
      floorTo: 'Söz: {names}',
      floorBack: 'Söz yenidən təlimçidədir',
      answered: 'Cavablandırılan sual: {text}',
      interrupted: 'Fasilə: server işləmirdi, bu hissə yazılmayıb',
      untitled: 'Fəsil',
    },
    role: { trainer: 'Təlimçi', site: 'Auditoriya', attendee: 'İştirakçı' },
    sessionHeader: ['Mühazirə', 'Rol', 'Ad', 'Auditoriya', 'Qoşulub', 'Çıxıb', 'İştirak (saniyə)', 'Çıxma səbəbi'],
    personHeader: ['Ad', 'Rol', 'Auditoriya', 'Seanslar', 'Cəmi (saniyə)'],
    leave: {
      left: 'Özü çıxıb',
      disconnected: 'Bağlantı kəsilib',
      removed: 'Təlimçi çıxarıb',
      'lecture-ended': 'Mühazirə bitib',
      replaced: 'Başqa pəncərədə açılıb',
      'server-restart': 'Server yenidən başladılıb',
      'node-lost': 'Server sıradan çıxıb',
    },
  },
  ru: {
    chapter: {
      start: 'Начало лекции',
      slides: 'Слайды',
      floorTo: 'Слово: {names}',
      floorBack: 'Слово снова у преподавателя',
      answered: 'Вопрос с ответом: {text}',
      interrupted: 'Перерыв: сервер не работал, эта часть не записана',
      untitled: 'Глава',
    },
    role: { trainer: 'Преподаватель', site: 'Аудитория', attendee: 'Участник' },
    sessionHeader: ['Лекция', 'Роль', 'Имя', 'Аудитория', 'Подключение', 'Выход', 'Присутствие (с)', 'Причина выхода'],
    personHeader: ['Имя', 'Роль', 'Аудитория', 'Сеансы', 'Всего (с)'],
    leave: {
      left: 'Вышел сам',
      disconnected: 'Связь прервалась',
      removed: 'Удалён преподавателем',
      'lecture-ended': 'Лекция завершена',
      replaced: 'Открыто в другом окне',
      'server-restart': 'Перезапуск сервера',
      'node-lost': 'Сервер вышел из строя',
    },
  },
  en: {
    chapter: {
      start: 'Lecture start',
      slides: 'Slides',
      floorTo: 'Floor: {names}',
      floorBack: 'Floor back to the trainer',
      answered: 'Answered: {text}',
      interrupted: 'Interrupted: the server was down, this part was not recorded',
      untitled: 'Chapter',
    },
    role: { trainer: 'Trainer', site: 'Classroom', attendee: 'Attendee' },
    sessionHeader: ['Lecture', 'Role', 'Name', 'Classroom', 'Joined', 'Left', 'Seconds present', 'Why left'],
    personHeader: ['Name', 'Role', 'Classroom', 'Sessions', 'Total seconds'],
    leave: {
      left: 'Left',
      disconnected: 'Connection lost',
      removed: 'Removed by the trainer',
      'lecture-ended': 'Lecture ended',
      replaced: 'Opened in another window',
      'server-restart': 'Server restarted',
      'node-lost': 'Server failed',
    },
  },
};

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/** Control characters and runs of spaces out, at most `max` characters. */
const clean = (s: string, max = 200) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);

/** A chapter's title in `language`. Chapters stored before kinds keep their English title where it named someone. */
export function chapterTitle(chapter: Pick<StoredChapter, 'kind' | 'names' | 'text' | 'title'>, language: Language): string {
  const words = WORDS[language].chapter;
  const legacy = chapter.names === undefined && chapter.text === undefined && chapter.title !== undefined;
  switch (chapter.kind) {
    case 'start':
      return words.start;
    case 'slides':
      return words.slides;
    case 'interrupted':
      return words.interrupted;
    case 'floor': {
      if (legacy) return clean(chapter.title ?? '') || words.untitled;
      const names = (chapter.names ?? []).map((n) => clean(n, 80)).filter(Boolean);
      return names.length > 0 ? clean(fill(words.floorTo, { names: names.join(', ') })) : words.floorBack;
    }
    case 'answered':
      if (legacy) return clean(chapter.title ?? '') || words.untitled;
      return clean(fill(words.answered, { text: clean(chapter.text ?? '', 160) }));
    default:
      return clean(chapter.title ?? '') || words.untitled;
  }
}

/** The title of a chapter the composer invents when nothing starts at 0. */
export const startTitle = (language: Language) => WORDS[language].chapter.start;

/** A role in words (the attendance report); unknown roles as they are. */
export const roleName = (role: string, language: Language): string =>
  (WORDS[language].role as Record<string, string>)[role] ?? role;

/** Why a session ended, in words; unknown reasons as they are, none as empty. */
export const leaveReasonText = (reason: string | null, language: Language): string | null =>
  reason === null ? null : (WORDS[language].leave[reason] ?? reason);

/** The attendance report's two header rows. */
export const attendanceHeaders = (language: Language) => ({
  session: WORDS[language].sessionHeader,
  person: WORDS[language].personHeader,
});

/** Chapters closer than this to the previous one are one (a burst of floor changes). */
export const MIN_CHAPTER_MS = 1000;

/**
 * A recording's chapter points as the viewer sees them, titled in `language`: sorted, those at or
 * past `limitMs` dropped, one that comes less than MIN_CHAPTER_MS after another replaces it (the
 * later event names what is shown), the first moved to 0 when it is that close, and a "Lecture
 * start" at 0 when nothing starts there (also when there is none, with `startWhenEmpty`).
 * The server's chapters.vtt and MP4 chapters and the player's list are all made from this.
 */
export function chapterPoints(
  chapters: readonly StoredChapter[],
  limitMs: number,
  language: Language,
  { startWhenEmpty = false } = {},
): { atMs: number; title: string }[] {
  const points = chapters
    .filter((c) => Number.isFinite(c.atMs) && c.atMs < limitMs)
    .map((c, i) => ({ atMs: Math.max(0, Math.round(c.atMs)), title: chapterTitle(c, language), i }))
    .sort((a, b) => a.atMs - b.atMs || a.i - b.i);
  const kept: { atMs: number; title: string }[] = [];
  for (const p of points) {
    const prev = kept.at(-1);
    if (prev && p.atMs - prev.atMs < MIN_CHAPTER_MS) prev.title = p.title;
    else kept.push({ atMs: p.atMs, title: p.title });
  }
  const first = kept[0];
  if (first && first.atMs > 0 && first.atMs < MIN_CHAPTER_MS) first.atMs = 0;
  else if ((first && first.atMs > 0) || (!first && startWhenEmpty)) kept.unshift({ atMs: 0, title: startTitle(language) });
  return kept;
}
