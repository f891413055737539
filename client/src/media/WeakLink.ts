/**
 * A viewer's weak link as the server's lecture-priority policy sees it (`receivePriority`: the
 * trainer's camera lowered or paused, the slides slowed; sound is never held back), and the
 * viewer's own choice of "audio and slides only", kept in this browser (localStorage) so it holds
 * across reloads and reconnects: it is sent again each time the session joins or rebuilds its media.
 */
import type { ReceivePriority } from '@teleclass/shared';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { SessionContext } from './sessionContext.js';

export const AUDIO_SLIDES_ONLY_KEY = 'teleclass.audioSlidesOnly';

export function storedAudioSlidesOnly(): boolean {
  try {
    return globalThis.localStorage?.getItem(AUDIO_SLIDES_ONLY_KEY) === '1';
  } catch {
    return false; // storage refused (private mode): the choice lasts for this page only
  }
}

function storeAudioSlidesOnly(on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(AUDIO_SLIDES_ONLY_KEY, '1');
    else globalThis.localStorage?.removeItem(AUDIO_SLIDES_ONLY_KEY);
  } catch {
    // Private mode: not remembered after this page.
  }
}

export class WeakLink {
  readonly #ctx: Pick<SessionContext, 'store' | 'report'>;
  #signaling: SignalingClient | null = null;
  /** The choice for this page (the stored one at first). */
  #chosen = storedAudioSlidesOnly();

  constructor(ctx: Pick<SessionContext, 'store' | 'report'>) {
    this.#ctx = ctx;
    ctx.store.update({ weakLink: { step: this.#chosen ? 'camera-off' : 'full', manual: this.#chosen } });
  }

  /** Joined (again) or the media rebuilt: a viewer that chose "audio and slides only" says so again. */
  attach(signaling: SignalingClient): void {
    this.#signaling = signaling;
    this.#ctx.store.update({ weakLink: { step: this.#chosen ? 'camera-off' : 'full', manual: this.#chosen } });
    if (this.#chosen && this.#viewer()) void this.#send(signaling, true);
  }

  detach(): void {
    this.#signaling = null;
  }

  /** The server's word on this viewer's step. */
  received(view: ReceivePriority): void {
    this.#ctx.store.update({ weakLink: view });
  }

  /** The viewer chooses "audio and slides only" (true) or everything again. */
  async choose(on: boolean): Promise<void> {
    this.#chosen = on;
    storeAudioSlidesOnly(on);
    this.#ctx.store.update((s) => ({ weakLink: { ...s.weakLink, manual: on } }));
    const signaling = this.#signaling;
    if (signaling && this.#viewer()) await this.#send(signaling, on);
  }

  #viewer(): boolean {
    const role = this.#ctx.store.get().role;
    return role === 'attendee' || role === 'site';
  }

  async #send(signaling: SignalingClient, on: boolean): Promise<void> {
    try {
      const view = await signaling.request('setReceiveMode', { audioSlidesOnly: on });
      if (this.#signaling === signaling && this.#chosen === on) this.#ctx.store.update({ weakLink: view });
    } catch (error) {
      this.#ctx.report(error, 'audio and slides only');
    }
  }
}
