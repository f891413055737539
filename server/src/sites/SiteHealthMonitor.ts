/**
 * The studio's Sites panel: every HEALTH_INTERVAL_MS, to the trainer of every open lecture, the
 * state of each invited classroom (absent / connected / on air), its quality figures and an alert
 * when it has not joined `missingAfterMs` after going live, dropped out of the live lecture, or
 * turned red. No socket.io here: it hands each list to `send`.
 */
import type { SiteHealth } from '@teleclass/shared';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Store } from '../store/Store.js';
import type { SiteBoard } from './SiteBoard.js';

export const HEALTH_INTERVAL_MS = 2_000;

const keyOf = (name: string) => name.toLocaleLowerCase('en-US');

export interface SiteHealthOptions {
  /** SITE_MISSING_ALERT_SECONDS, in ms. */
  missingAfterMs: number;
  now?: () => number;
}

export class SiteHealthMonitor {
  /** lecture id → the classrooms seen connected while it was live (a later absence is a drop). */
  readonly #seenLive = new Map<string, Set<string>>();
  readonly #timer: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(
    private readonly registry: LectureRegistry,
    private readonly store: Store,
    private readonly board: SiteBoard,
    private readonly options: SiteHealthOptions,
    send: (trainerPeerId: string, sites: SiteHealth[]) => void,
  ) {
    this.#now = options.now ?? Date.now;
    registry.on('roomclosed', (room) => this.#seenLive.delete(room.lecture.id));
    this.#timer = setInterval(() => {
      for (const room of registry.rooms()) {
        const trainer = room.lecture.trainer;
        const sites = this.health(room);
        if (trainer && sites.length > 0) send(trainer.id, sites);
      }
    }, HEALTH_INTERVAL_MS).unref();
  }

  /** Each invited classroom of an open lecture, as the Sites panel shows it. */
  health(room: LectureRoom): SiteHealth[] {
    const record = room.record;
    const { lecture } = room;
    const view = lecture.view();
    const live = view.state === 'live';
    const seen = this.#seenLive.get(lecture.id) ?? new Set<string>();
    this.#seenLive.set(lecture.id, seen);
    if (!live) seen.clear();
    const ids = new Map(record.siteRefs.map((r) => [keyOf(r.name), r.id]));
    return record.sites.map((name): SiteHealth => {
      const key = keyOf(name);
      const p = lecture.participants.find((x) => x.role === 'site' && x.site !== null && keyOf(x.site) === key);
      if (p && live) seen.add(key);
      const quality = p ? this.board.quality(lecture.id, p.site ?? name) : null;
      const overdue = live && view.startedAt !== null && this.#now() - view.startedAt >= this.options.missingAfterMs;
      const alert = p ? (quality?.level === 'red' ? 'red' : null) : live && seen.has(key) ? 'dropped' : overdue ? 'missing' : null;
      return {
        name,
        siteId: ids.get(key) ?? null,
        state: p ? (lecture.onStage(p.id) ? 'onair' : 'connected') : 'absent',
        soundBlocked: quality?.soundBlocked ?? false,
        quality,
        priority: p ? (room.media.receivePriority(p.id)?.step ?? null) : null,
        alert,
      };
    });
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
