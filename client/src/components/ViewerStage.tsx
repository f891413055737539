import { describeError } from '@teleclass/shared';
import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';
import { viewerScreen } from '../view/viewerScreen.js';
import { BigMessage } from './BigMessage.js';
import { Stage } from './Stage.js';

/** What a site or an attendee sees: a big state message, or the live stage. */
export function ViewerStage({ session, state }: { session: LectureSession | null; state: SessionState | null }) {
  if (!session || !state) return <BigMessage title="Connecting to the lecture…" />;
  const screen = viewerScreen(state);
  const lost = state.phase === 'joined' && state.connection === 'disconnected';
  return (
    <>
      {screen.kind === 'live' ? (
        <Stage
          remote={state.remote}
          onViewport={(consumerId, size) => session.setViewport(consumerId, size.width, size.height)}
          empty={<BigMessage title="The lecture is live" detail="The picture is on its way…" />}
        />
      ) : screen.kind === 'error' ? (
        <BigMessage title={screen.title} detail={screen.detail} />
      ) : (
        <BigMessage title={screen.title} />
      )}
      {lost && (
        <div className="connection-lost" role="alert">
          {describeError('DISCONNECTED')}
        </div>
      )}
    </>
  );
}
