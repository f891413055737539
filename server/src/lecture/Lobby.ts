import { TeleclassError, type LobbyView } from '@teleclass/shared';

/**
 * Someone waiting in the lobby, with the identity an admission lets in. `node`: the node they
 * wait on when it is not this one (cluster mode: the origin's lobby holds every node's waiting
 * people, and each node a copy of it).
 */
export type LobbyEntry = LobbyView & { identity: string; node?: string };

/**
 * The lobby of a locked lecture: who waits, in the order they came, and the identities admitted
 * (let in again without waiting until the admission is revoked). No events: Lecture tells them.
 */
export class Lobby {
  readonly #entries = new Map<string, LobbyEntry>();
  readonly #admitted = new Set<string>();
  readonly #max: number;

  /** `max`: people waiting at once (MAX_LOBBY; in a cluster every node's count). */
  constructor(max = Infinity) {
    this.#max = max;
  }

  isAdmitted(identity: string): boolean {
    return this.#admitted.has(identity);
  }

  /** LIMIT when `max` people wait already. */
  add(entry: LobbyEntry): void {
    if (this.#entries.size >= this.#max) throw new TeleclassError('LIMIT', 'Too many people are waiting; try again later.');
    this.#entries.set(entry.peerId, entry);
  }

  /** The entry that stopped waiting (undefined: nobody with that id was). */
  remove(peerId: string): LobbyEntry | undefined {
    const entry = this.#entries.get(peerId);
    if (entry) this.#entries.delete(peerId);
    return entry;
  }

  /** Their identity is admitted (NOT_FOUND: nobody with that id waits); they still wait until removed. */
  admit(peerId: string): LobbyEntry {
    const entry = this.#entries.get(peerId);
    if (!entry) throw new TeleclassError('NOT_FOUND', 'Nobody with that id is waiting.');
    this.#admitted.add(entry.identity);
    return entry;
  }

  revoke(identity: string): void {
    this.#admitted.delete(identity);
  }

  get(peerId: string): LobbyEntry | undefined {
    return this.#entries.get(peerId);
  }

  entries(): LobbyEntry[] {
    return [...this.#entries.values()];
  }

  ids(): string[] {
    return [...this.#entries.keys()];
  }

  views(): LobbyView[] {
    return this.entries().map(({ peerId, displayName, since }) => ({ peerId, displayName, since }));
  }

  /** Whether someone of this node's own waits (other nodes' waiting people are copies). */
  hasOwn(): boolean {
    for (const e of this.#entries.values()) if (e.node === undefined) return true;
    return false;
  }

  /** The other nodes' waiting people become `others` (this node's own stay); the change is answered. */
  replaceOthers(others: readonly LobbyEntry[]): { added: LobbyView[]; removed: string[] } {
    const incoming = new Map(others.map((e) => [e.peerId, e]));
    const removed: string[] = [];
    for (const e of [...this.#entries.values()]) {
      if (e.node !== undefined && !incoming.has(e.peerId)) {
        this.#entries.delete(e.peerId);
        removed.push(e.peerId);
      }
    }
    const added: LobbyView[] = [];
    for (const e of others) {
      if (this.#entries.has(e.peerId)) continue;
      this.#entries.set(e.peerId, e);
      added.push({ peerId: e.peerId, displayName: e.displayName, since: e.since });
    }
    return { added, removed };
  }
}
