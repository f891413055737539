import { requests, TeleclassError, type Ack, type ErrorBody, type Method } from '@teleclass/shared';
import { allowed } from '../lecture/permissions.js';
import type { Handlers, JoinedSession, Session, SignalingDeps } from './context.js';

/** mediasoup signals bad parameters with these error names; they are the caller's fault. */
const CALLER_ERRORS = new Set(['TypeError', 'UnsupportedError']);

function toErrorBody(error: unknown): { body: ErrorBody; internal: boolean } {
  if (error instanceof TeleclassError) return { body: error.toBody(), internal: false };
  if (error instanceof Error && CALLER_ERRORS.has(error.name)) {
    return { body: { code: 'BAD_REQUEST', message: error.message.slice(0, 300) }, internal: false };
  }
  if (error instanceof Error && error.name === 'InvalidStateError') {
    return { body: { code: 'INVALID_STATE', message: 'That cannot be done now.' }, internal: false };
  }
  return { body: { code: 'INTERNAL', message: 'Something went wrong on the server.' }, internal: true };
}

/**
 * validate → authorize → run → ack. Never throws: every request gets exactly one ack, success or
 * error code, and unexpected errors are logged with the lecture, peer and method.
 */
export async function handle(
  method: Method,
  payload: unknown,
  ack: (answer: Ack<unknown>) => void,
  session: Session,
  handlers: Handlers,
  deps: SignalingDeps,
): Promise<void> {
  const log = deps.logger.child({
    lectureId: session.room?.lecture.id,
    peerId: session.participant?.id,
    method,
  });
  const started = performance.now();
  let outcome = 'ok';
  try {
    const verdict = allowed(method, session.participant?.role);
    if (verdict !== 'ok') throw new TeleclassError(verdict);
    const parsed = requests[method].req.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new TeleclassError('BAD_REQUEST', `${where}${issue?.message ?? 'invalid payload'}`.slice(0, 300));
    }
    const run = handlers[method] as (s: Session | JoinedSession, req: unknown, d: SignalingDeps) => Promise<unknown>;
    const data = await run(session, parsed.data, deps);
    ack({ ok: true, data });
  } catch (error) {
    const { body, internal } = toErrorBody(error);
    outcome = body.code;
    if (internal) log.error({ err: error }, 'request failed');
    else log.debug({ code: body.code, message: body.message }, 'request refused');
    ack({ ok: false, error: body });
  } finally {
    deps.observe?.(method, outcome, (performance.now() - started) / 1000);
  }
}
