import { describeError } from '@teleclass/shared';
import { BigMessage } from '../components/BigMessage.js';
import { FailureMessage } from '../components/FailureMessage.js';

/** A lecture page opened without a usable link: nothing to connect with. */
export function NoLinkMessage({ valid }: { valid: boolean }) {
  if (!valid) return <BigMessage title="This lecture address is not valid" />;
  return (
    <FailureMessage
      error={{ code: 'UNAUTHORIZED', message: describeError('UNAUTHORIZED'), detail: 'Open the link you were given: it carries your access.' }}
      fallback=""
    />
  );
}
