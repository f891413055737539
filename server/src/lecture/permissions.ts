import type { Method, Role } from '@teleclass/shared';

/** Who may call what. `join` is the one call before joining; every other needs a joined peer. */
export const PERMISSIONS: Record<Method, 'before-join' | readonly Role[]> = {
  join: 'before-join',
  createTransport: ['trainer', 'site', 'attendee'],
  connectTransport: ['trainer', 'site', 'attendee'],
  restartIce: ['trainer', 'site', 'attendee'],
  produce: ['trainer'],
  pauseProducer: ['trainer'],
  resumeProducer: ['trainer'],
  closeProducer: ['trainer'],
  consume: ['trainer', 'site', 'attendee'],
  resumeConsumer: ['trainer', 'site', 'attendee'],
  pauseConsumer: ['trainer', 'site', 'attendee'],
  closeConsumer: ['trainer', 'site', 'attendee'],
  setPreferredLayers: ['trainer', 'site', 'attendee'],
  setViewport: ['trainer', 'site', 'attendee'],
  startLecture: ['trainer'],
  endLecture: ['trainer'],
  leave: ['trainer', 'site', 'attendee'],
};

/** Roles that may open a sending transport. */
export const SENDING_ROLES: readonly Role[] = ['trainer'];

export function allowed(method: Method, role: Role | undefined): 'ok' | 'NOT_JOINED' | 'ALREADY_JOINED' | 'FORBIDDEN' {
  const rule = PERMISSIONS[method];
  if (rule === 'before-join') return role === undefined ? 'ok' : 'ALREADY_JOINED';
  if (role === undefined) return 'NOT_JOINED';
  return rule.includes(role) ? 'ok' : 'FORBIDDEN';
}
