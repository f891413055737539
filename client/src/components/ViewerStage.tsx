import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';
import { viewerScreen } from '../view/viewerScreen.js';
import { BigMessage } from './BigMessage.js';
import { ReconnectingBanner } from './ReconnectingBanner.js';
import { Stage } from './Stage.js';

/** What a site or an attendee sees: a big state message, or the live stage. */
export function ViewerStage({ session, state }: { session: LectureSession | null; state: SessionState | null }) {
  if (!session || !state) return <BigMessage title="Connecting to the lecture…" />;
  const screen = viewerScreen(state);
  return (
    <>
      {screen.kind === 'live' && screen.feedInterrupted && (
        <div className="feed-interrupted" data-testid="feed-interrupted" role="status">
          The studio feed was interrupted
        </div>
      )}
      {screen.kind === 'live' ? (
        <Stage
          remote={state.remote}
          onViewport={(consumerId, size) => session.setViewport(consumerId, size.width, size.height)}
          empty={<BigMessage title="The lecture is live" detail="The picture is on its way…" />}
        />
      ) : screen.kind === 'error' ? (
        <div className="failure" data-testid="session-failed" data-code={state.error?.code ?? ''}>
          <BigMessage title={screen.title} {...(screen.detail ? { detail: screen.detail } : {})} />
        </div>
      ) : screen.kind === 'lobby' ? (
        <div className="lobby-wait" data-testid="lobby">
          <BigMessage title={screen.title} detail={state.lecture?.title ?? ''} />
        </div>
      ) : screen.kind === 'trainer-gone' ? (
        <div className="trainer-gone" data-testid="trainer-gone">
          <BigMessage title={screen.title} detail={state.lecture?.title ?? ''} />
        </div>
      ) : screen.kind === 'ended' ? (
        <BigMessage title={screen.title}>
          {state.recordingUrl && (
            <a className="button button--primary" href={state.recordingUrl} data-testid="recording-link">
              Watch the recording
            </a>
          )}
        </BigMessage>
      ) : (
        <BigMessage title={screen.title} />
      )}
      <ReconnectingBanner
        visible={state.reconnecting || state.mediaStalled || (state.phase === 'lobby' && state.connection === 'disconnected')}
      />
    </>
  );
}
