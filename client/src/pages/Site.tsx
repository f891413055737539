import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { AudioSink } from '../components/AudioSink.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { OnAirBar } from '../components/OnAirBar.js';
import { RecBadge } from '../components/RecBadge.js';
import { RaiseHandButton } from '../components/RaiseHandButton.js';
import { StateBadge } from '../components/StateBadge.js';
import { ViewerStage } from '../components/ViewerStage.js';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { LectureSessionProvider } from '../hooks/LectureSessionProvider.js';
import { useFloor } from '../hooks/useFloor.js';
import { useLectureState } from '../hooks/useLecture.js';
import { useReportPlayback } from '../hooks/useReportPlayback.js';
import { useSiteQualityReports } from '../hooks/useSiteQualityReports.js';
import { recordingSince } from '../view/recBadge.js';
import { NoLinkMessage } from './NoLink.js';

/**
 * The classroom kiosk: unattended, the lecture full screen, sound on. One control: a big
 * raise-hand button for the touch screen. Given the floor, the classroom's camera and microphone
 * go on by themselves, under a red ON AIR bar; they go off when the trainer takes the floor back.
 */
export function Site() {
  const lectureId = useLectureId();
  const { initial } = useJoinToken(lectureId);

  if (!lectureId || !initial) {
    return (
      <div className="kiosk">
        <NoLinkMessage valid={lectureId !== null} />
      </div>
    );
  }
  return <SiteLecture lectureId={lectureId} token={initial.token} />;
}

export interface SiteLectureProps {
  lectureId: string;
  token: string;
  /** Hears the lecture's end, or a session that failed for good (the kiosk goes back to idle). */
  onOver?: (why: 'ended' | 'failed') => void;
  /** How often the classroom reports what it receives (the server's QUALITY_REPORT_SECONDS; default 3 s). */
  reportEveryMs?: number;
}

/** One classroom in one lecture: the page of a site link, and what a kiosk shows while a lecture is on. */
export function SiteLecture({ lectureId, token, ...rest }: SiteLectureProps) {
  return (
    <LectureSessionProvider config={{ lectureId, role: 'site', token }}>
      <Classroom {...rest} />
    </LectureSessionProvider>
  );
}

function Classroom({ onOver, reportEveryMs = 3_000 }: Pick<SiteLectureProps, 'onOver' | 'reportEveryMs'>) {
  const { t } = useTranslation();
  const state = useLectureState();
  const floor = useFloor();
  const over = state?.lecture?.state === 'ended' ? 'ended' : state?.phase === 'failed' ? 'failed' : null;
  useEffect(() => {
    if (over) onOver?.(over);
  }, [over, onOver]);
  const [soundBlocked, setSoundBlocked] = useState(false);
  useReportPlayback(soundBlocked); // the studio hears at once
  useSiteQualityReports(state?.phase === 'joined', soundBlocked, reportEveryMs); // and the Sites panel with the figures

  const { onStage, raised, canRaise: live } = floor;
  const name = state?.self?.site ?? state?.self?.displayName ?? '';

  return (
    <div className={`kiosk ${onStage ? 'kiosk--on-air' : ''}`}>
      <ViewerStage />
      {onStage && <OnAirBar text={t('onAir.classroom')} mutedByTrainer={floor.mutedByTrainer} />}
      {state?.lecture && state.phase !== 'failed' && (
        <div className="kiosk__corner">
          <StateBadge state={state.lecture.state} />
          {name && <span className="kiosk__name">{name}</span>}
          <LanguageSwitch className="kiosk__language" />
        </div>
      )}
      {state?.phase !== 'failed' && <RecBadge since={recordingSince(state?.lecture)} className="kiosk__rec" />}
      {live && !onStage && (
        <div className="kiosk__hand">
          <RaiseHandButton big raised={raised} onToggle={floor.toggleHand} />
        </div>
      )}
      <AudioSink tracks={state?.remote.audio.map((a) => a.track) ?? []} onBlockedChange={setSoundBlocked} />
    </div>
  );
}
