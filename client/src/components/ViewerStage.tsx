import { useTranslation } from 'react-i18next';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { viewerScreen } from '../view/viewerScreen.js';
import { BigMessage } from './BigMessage.js';
import { FailureMessage } from './FailureMessage.js';
import { ReconnectingBanner } from './ReconnectingBanner.js';
import { Stage } from './Stage.js';
import { WeakLinkNote } from './WeakLinkNote.js';

/** What a site or an attendee sees: a big state message, or the live stage (of the lecture session it is under). */
export function ViewerStage() {
  const { t } = useTranslation();
  const state = useLectureState();
  const { setViewport } = useLectureActions();
  if (!state) return <BigMessage title={t('viewer.connecting')} />;
  const screen = viewerScreen(state);
  return (
    <>
      {screen.kind === 'live' && screen.feedInterrupted && (
        <div className="feed-interrupted" data-testid="feed-interrupted" role="status">
          {t('feed.interrupted')}
        </div>
      )}
      {screen.kind === 'live' ? (
        <Stage
          remote={state.remote}
          onViewport={(consumerId, size) => setViewport(consumerId, size.width, size.height)}
          empty={<BigMessage title={t('viewer.liveEmpty')} detail={t('viewer.pictureOnItsWay')} />}
        />
      ) : screen.kind === 'error' ? (
        <FailureMessage error={state.error} fallback={t('errors.cannotJoin')} />
      ) : screen.kind === 'lobby' ? (
        <div className="lobby-wait" data-testid="lobby">
          <BigMessage title={t(screen.titleKey)} detail={state.lecture?.title ?? ''} />
        </div>
      ) : screen.kind === 'trainer-gone' ? (
        <div className="trainer-gone" data-testid="trainer-gone">
          <BigMessage title={t(screen.titleKey)} detail={state.lecture?.title ?? ''} />
        </div>
      ) : screen.kind === 'ended' ? (
        <BigMessage title={t(screen.titleKey)}>
          {state.recordingUrl && (
            <a className="button button--primary" href={state.recordingUrl} data-testid="recording-link">
              {t('viewer.watchRecording')}
            </a>
          )}
        </BigMessage>
      ) : (
        <BigMessage title={t(screen.titleKey)} />
      )}
      {screen.kind === 'live' && <WeakLinkNote />}
      <ReconnectingBanner
        visible={state.reconnecting || state.mediaStalled || (state.phase === 'lobby' && state.connection === 'disconnected')}
      />
    </>
  );
}
