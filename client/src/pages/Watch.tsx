import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AudioSink } from '../components/AudioSink.js';
import { ChatPanel } from '../components/ChatPanel.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FailureMessage } from '../components/FailureMessage.js';
import { OnAirBar } from '../components/OnAirBar.js';
import { PlayerControls } from '../components/PlayerControls.js';
import { RecBadge } from '../components/RecBadge.js';
import { RaiseHandButton } from '../components/RaiseHandButton.js';
import { StateBadge } from '../components/StateBadge.js';
import { VideoView } from '../components/VideoView.js';
import { ViewerStage } from '../components/ViewerStage.js';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { LectureSessionProvider } from '../hooks/LectureSessionProvider.js';
import { useFloor } from '../hooks/useFloor.js';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { useFullscreen, usePlayerVolume } from '../hooks/usePlayer.js';
import { useReportPlayback } from '../hooks/useReportPlayback.js';
import { FloorInvitation } from '../components/FloorInvitation.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { checkName } from '../view/names.js';
import { recordingSince } from '../view/recBadge.js';
import { NoLinkMessage } from './NoLink.js';
import { dropPreconnection, preconnect } from '../signaling/preconnect.js';

const NAME_KEY = 'teleclass.displayName';

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode: the name is simply not remembered.
  }
}

interface Entry {
  token: string;
  /** The typed name (none when the personal token kept from an earlier join already has it). */
  displayName?: string;
}

/**
 * A remote attendee: a name, then the lecture in a window with sound, volume and full screen, chat,
 * a hand to raise. On a phone the picture takes the whole width and the chat goes below it.
 */
export function Watch() {
  const { t } = useTranslation();
  const lectureId = useLectureId();
  const joinToken = useJoinToken(lectureId);
  // Reloaded after joining once: the kept personal token knows the name already.
  const [entry, setEntry] = useState<Entry | null>(() => (joinToken.initial?.personal ? { token: joinToken.initial.token } : null));
  const [name, setName] = useState(storedName);
  const [formError, setFormError] = useState<string | null>(null);
  const [hasLeft, setHasLeft] = useState(false);
  // The connection opens (and the media device loads) while the name screen shows, with the token
  // the page has now, so the join press is one round trip from the picture (signaling/preconnect.ts).
  const preconnectToken = entry === null ? (joinToken.current() ?? joinToken.initial)?.token : undefined;
  useEffect(() => {
    if (preconnectToken) preconnect(preconnectToken);
  }, [preconnectToken]);
  useEffect(() => dropPreconnection, []); // the page goes without joining: its connection closes

  if (!lectureId || !joinToken.initial) {
    return (
      <main className="watch">
        <NoLinkMessage valid={lectureId !== null} />
      </main>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkName(name, t);
    if (!checked.ok) {
      setFormError(checked.message);
      return;
    }
    const token = joinToken.current() ?? joinToken.initial;
    if (!token) return;
    storeName(checked.name);
    setFormError(null);
    setHasLeft(false);
    setEntry({ token: token.token, displayName: checked.name });
  };

  if (entry === null) {
    return (
      <main className="watch">
        <form className="watch__form" onSubmit={onSubmit}>
          <div className="watch__form-head">
            <h1>{t('watch.title')}</h1>
            <LanguageSwitch />
          </div>
          {hasLeft && <p className="watch__note">{t('watch.youLeft')}</p>}
          <label className="watch__label">
            {t('watch.yourName')}
            <input
              data-testid="display-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              autoComplete="name"
              maxLength={60}
              autoFocus
            />
          </label>
          {formError && (
            <p className="watch__error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="button button--primary" data-testid="join">
            {t('watch.watch')}
          </button>
        </form>
      </main>
    );
  }

  return (
    <LectureSessionProvider
      config={{ lectureId, role: 'attendee', token: entry.token, ...(entry.displayName ? { displayName: entry.displayName } : {}), onToken: joinToken.remember }}
    >
      <WatchLecture
        typedName={entry.displayName}
        onLeave={() => {
          setEntry(null);
          setHasLeft(true);
        }}
      />
    </LectureSessionProvider>
  );
}

/** The lecture once a name is given (under the session's provider); Leave goes back to the name form. */
function WatchLecture({ typedName, onLeave }: { typedName: string | undefined; onLeave: () => void }) {
  const { t } = useTranslation();
  const state = useLectureState();
  const act = useLectureActions();
  const floor = useFloor();
  const player = useRef<HTMLDivElement>(null);
  const volume = usePlayerVolume();
  const fullscreen = useFullscreen(player);
  const [soundBlocked, setSoundBlocked] = useState(false);
  useReportPlayback(soundBlocked);

  if (state?.phase === 'failed') {
    return (
      <main className="watch">
        <FailureMessage error={state.error} fallback={t('errors.cannotJoin')} />
      </main>
    );
  }

  const joined = state?.phase === 'joined' && state.connection === 'connected';
  const { onStage, raised, canRaise } = floor;
  const ended = state?.lecture?.state === 'ended';

  return (
    <main className="watch watch--joined">
      <header className="watch__bar">
        <span className="watch__title">{state?.lecture?.title ?? t('watch.lecture')}</span>
        {state?.lecture && state.phase !== 'lobby' && <StateBadge state={state.lecture.state} />}
        <RecBadge since={recordingSince(state?.lecture)} />
        <span className="watch__me">{state?.self?.displayName ?? typedName ?? ''}</span>
        {canRaise && <RaiseHandButton raised={raised} onToggle={floor.toggleHand} />}
        <button
          type="button"
          className="button"
          data-testid="leave"
          onClick={onLeave}
        >
          {t('watch.leave')}
        </button>
        <LanguageSwitch />
      </header>
      <ErrorBanner error={state?.error ?? null} onDismiss={act.clearError} />
      {floor.invited && <FloorInvitation onAnswer={floor.answer} />}
      {onStage && (
        <div className="watch__on-stage">
          <OnAirBar text={t('onAir.attendee')} mutedByTrainer={floor.mutedByTrainer} />
          <VideoView stream={state?.local.preview ?? null} className="watch__self" testId="self-view" mirror />
          <button type="button" className={`button ${floor.micMuted ? 'button--warning' : ''}`} data-testid="mute-mic" onClick={floor.toggleMic}>
            {t(floor.micMuted ? 'studio.unmute' : 'studio.mute')}
          </button>
        </div>
      )}
      <div className="watch__layout">
        <div className={`watch__player ${fullscreen.active ? 'watch__player--full' : ''}`} ref={player}>
          <div className="watch__window">
            <ViewerStage />
          </div>
          <PlayerControls volume={volume} fullscreen={fullscreen} />
          <AudioSink tracks={state?.remote.audio.map((a) => a.track) ?? []} volume={volume.volume} muted={volume.muted} onBlockedChange={setSoundBlocked} />
        </div>
        {state?.phase === 'joined' && (
          <aside className="watch__chat panel">
            <h2 className="panel__title">{t('watch.chat')}</h2>
            <ChatPanel
              chat={state.chat}
              selfIdentity={state.self?.identity ?? null}
              disabled={!joined || ended}
              onSend={(text, question) => act.sendChat(text, question)}
            />
          </aside>
        )}
      </div>
    </main>
  );
}
