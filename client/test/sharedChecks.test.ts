// The pages check names and ids without zod (@teleclass/shared/limits, /errors: the watch and kiosk
// pages do not ship the schemas, README "Weak connections"); the server checks them with the zod
// schemas. Property tests: over valid and invalid inputs both must agree, and give the same name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayNameSchema, errorCodeSchema, ERROR_CODES, lectureIdSchema, siteIdSchema } from '@teleclass/shared';
import { isErrorCode } from '@teleclass/shared/errors';
import { displayNameOf, isLectureId } from '@teleclass/shared/limits';

const RUNS = { numRuns: 3_000 };

/** Strings near the rules' edges: spaces of every kind, control characters, letters of the three languages, around 60 long. */
const nameLike = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc
    .array(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u0000', '\u001f', '\u007f', '\u0080', 'a', 'ə', 'Ş', 'ж', 'Ё', '😀', '-', '.'), { maxLength: 70 })
    .map((parts) => parts.join('')),
  fc.integer({ min: 55, max: 65 }).chain((n) => fc.tuple(fc.constantFrom('', ' ', '  \t'), fc.constant('x'.repeat(n)), fc.constantFrom('', ' ', '\n'))).map((p) => p.join('')),
);

const idLike = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.array(fc.constantFrom('a', 'z', '0', '9', '-', 'A', '_', ' ', '.', 'ı', '\n'), { maxLength: 70 }).map((parts) => parts.join('')),
  fc.integer({ min: 60, max: 68 }).chain((n) => fc.tuple(fc.constantFrom('a', '-'), fc.constant('b'.repeat(n - 2)), fc.constantFrom('9', '-'))).map((p) => p.join('')),
);

const notString = fc.anything().filter((v) => typeof v !== 'string');

describe('the zod-free checks agree with the shared schemas', () => {
  it('a display name: the same accepted, the same (trimmed) name', () => {
    fc.assert(
      fc.property(fc.oneof(nameLike, notString), (raw) => {
        const parsed = displayNameSchema.safeParse(raw);
        expect(displayNameOf(raw)).toBe(parsed.success ? parsed.data : null);
      }),
      RUNS,
    );
  });

  it('a lecture id and a site id', () => {
    fc.assert(
      fc.property(fc.oneof(idLike, notString), (raw) => {
        expect(isLectureId(raw)).toBe(lectureIdSchema.safeParse(raw).success);
        expect(isLectureId(raw)).toBe(siteIdSchema.safeParse(raw).success);
      }),
      RUNS,
    );
  });

  it('an error code', () => {
    const codeLike = fc.oneof(fc.constantFrom(...Object.keys(ERROR_CODES), 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'internal', ''), fc.string(), notString);
    fc.assert(
      fc.property(codeLike, (raw) => {
        expect(isErrorCode(raw)).toBe(errorCodeSchema.safeParse(raw).success);
      }),
      RUNS,
    );
  });

  it('the generators reach both sides of each rule', () => {
    const names = fc.sample(nameLike, 2_000);
    expect(names.some((n) => displayNameOf(n) !== null)).toBe(true);
    expect(names.some((n) => displayNameOf(n) === null && n.trim() !== '')).toBe(true);
    expect(names.some((n) => n.trim().length === 60 && displayNameOf(n) !== null)).toBe(true);
    expect(names.some((n) => n.trim().length === 61)).toBe(true);
    const ids = fc.sample(idLike, 2_000);
    expect(ids.filter((id) => isLectureId(id)).length).toBeGreaterThan(50);
    expect(ids.some((id) => id.length === 64 && isLectureId(id))).toBe(true);
    expect(ids.some((id) => id.length === 65 && /^[a-z0-9-]+$/.test(id) && !isLectureId(id))).toBe(true);
  });
});
