// What a viewer and the studio are told of a weak link, in every language, and the viewer's
// "audio and slides only" kept in this browser across reloads.
import { PRIORITY_STEPS } from '@teleclass/shared';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/i18n/index.js';
import { siteDegradationKey, weakLinkNote } from '../src/view/weakLink.js';

describe('the weak-link note', () => {
  it('says nothing on a good link, and the camera first, then the slides, never the sound', () => {
    expect(weakLinkNote({ step: 'full', manual: false })).toBeNull();
    expect(weakLinkNote({ step: 'camera-low', manual: false })?.kind).toBe('lower');
    expect(weakLinkNote({ step: 'camera-off', manual: false })?.kind).toBe('paused');
    expect(weakLinkNote({ step: 'slides-min', manual: false })?.kind).toBe('slides');
    expect(weakLinkNote({ step: 'full', manual: true })?.kind).toBe('chosen');
    const en = createI18n('en').t;
    expect(en(weakLinkNote({ step: 'camera-off', manual: false })!.key)).toBe("Weak connection: the trainer's video is paused, sound and slides continue");
  });

  it('has a sentence in az, ru and en for every step, and the studio a word for every degraded one', () => {
    for (const lang of ['az', 'ru', 'en'] as const) {
      const t = createI18n(lang).t;
      for (const step of PRIORITY_STEPS) {
        for (const manual of [false, true]) {
          const note = weakLinkNote({ step, manual });
          if (note) expect(t(note.key), `${lang} ${step}`).not.toBe(note.key);
        }
        const word = siteDegradationKey(step);
        if (step === 'full') expect(word).toBeNull();
        else expect(t(word!), `${lang} ${step}`).not.toBe(word);
      }
      for (const key of ['weakLink.audioSlidesOnly', 'weakLink.showVideo']) expect(t(key)).not.toBe(key);
    }
    expect(siteDegradationKey(null)).toBeNull();
  });
});
