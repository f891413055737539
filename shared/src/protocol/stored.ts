/** The schemas of what stored.ts puts into words (stored.ts itself has no zod: the pages import it). */
import { z } from 'zod';
import { CHAPTER_KINDS, LANGUAGES, type ChapterKind, type StoredChapter } from '../stored.js';

export const languageSchema = z.enum(LANGUAGES);

export const chapterKindSchema = z.enum(CHAPTER_KINDS);

export const storedChapterSchema = z.object({
  atMs: z.number(),
  kind: chapterKindSchema,
  /** floor: who was given it (empty: back to the trainer). */
  names: z.array(z.string()).optional(),
  /** answered: the question's text. */
  text: z.string().optional(),
  /** Recordings made before chapters were stored as kinds: the English title they were given. */
  title: z.string().optional(),
});

// The schemas describe exactly stored.ts's types (checked at compile time: a drift fails typecheck).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type StoredSchemasMatch = [Assert<Same<z.infer<typeof storedChapterSchema>, StoredChapter>>, Assert<Same<z.infer<typeof chapterKindSchema>, ChapterKind>>];
