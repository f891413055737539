import type { SessionError } from '../media/errors.js';
import { BigMessage } from './BigMessage.js';

/** A session that cannot go on (a refused link, removed, opened elsewhere): the sentence, large. */
export function FailureMessage({ error, fallback }: { error: SessionError | null; fallback: string }) {
  return (
    <div className="failure" data-testid="session-failed" data-code={error?.code ?? ''}>
      <BigMessage title={error?.message ?? fallback} {...(error?.detail ? { detail: error.detail } : {})} />
    </div>
  );
}
