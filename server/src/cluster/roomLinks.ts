/**
 * What the two sides of a room across nodes share (roomLink.ts holds them together): one open
 * room's link, and the context each side works in (roomEdge.ts, roomOrigin.ts).
 */
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import type { Participant } from '../lecture/Participant.js';
import type { RoomPeer } from '../lecture/roomCopy.js';
import type { Logger } from '../logger.js';
import type { ClusterBus } from './bus.js';
import type { NodeInfo } from './ports.js';
import type { RoomRecordings } from './roomUseCases.js';

export interface ClusterRoomsDeps {
  registry: LectureRegistry;
  nodes: { self(): NodeInfo; readonly known: NodeInfo[]; on(event: 'changed', listener: (nodes: NodeInfo[]) => void): unknown };
  origins: { claim(lectureId: string): Promise<NodeInfo>; originOf(lectureId: string): Promise<NodeInfo | null>; readonly held: ReadonlySet<string> };
  bus: ClusterBus;
  logger: Logger;
}

/** One open room's place in the cluster. */
export interface Link {
  readonly room: LectureRoom;
  /** origin: this node holds the room for everyone; edge: a copy of `origin`'s; alone: no origin yet (or it is gone). */
  mode: 'alone' | 'origin' | 'edge';
  origin: string | null;
  /** Edge: the origin's room instance and state number last applied; when it last heard of its origin. */
  epoch: string | null;
  seq: number;
  heardAt: number;
  /** Moves on with every registration: presence changes queued for an earlier one are dropped (the registration carried them). */
  generation: number;
  /** Requests to the origin, one after the other (a join reaches it before that participant's hand). */
  chain: Promise<unknown>;
  resolving: boolean;
  /** Origin: nodes that hold a copy, this room's instance and state number, a push scheduled. */
  subscribers: Set<string>;
  ownEpoch: string;
  ownSeq: number;
  pushQueued: boolean;
  timers: NodeJS.Timeout[];
}

/** What the edge side and the origin side of ClusterRooms share. */
export interface RoomContext {
  readonly deps: ClusterRoomsDeps;
  readonly log: Logger;
  /** Every open room's link on this node, by lecture id. */
  readonly links: Map<string, Link>;
  /** This node's id. */
  self(): string;
  /** After a lecture went live on a trainer's request from another node (ClusterRooms.onStarted). */
  onStarted(): ((lectureId: string) => Promise<void>) | undefined;
  /** This node's recordings (ClusterRooms.recordings). */
  recordings(): RoomRecordings | undefined;
  /** This node holds the room for the cluster from now on. */
  becomeOrigin(link: Link): void;
  /** The participants and waiting people of the nodes `drop` says are gone leave this node's room and lobby. */
  dropRemote(link: Link, drop: (node: string) => boolean): void;
}

export const peerOf = (p: Participant, node: string): RoomPeer => ({ ...p.view(), identity: p.identity, node: p.node ?? node });
