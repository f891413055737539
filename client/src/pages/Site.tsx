import { useSearchParams } from 'react-router';
import { AudioSink } from '../components/AudioSink.js';
import { BigMessage } from '../components/BigMessage.js';
import { StateBadge } from '../components/StateBadge.js';
import { ViewerStage } from '../components/ViewerStage.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { useLectureSession } from '../hooks/useLectureSession.js';
import { useSessionState } from '../hooks/useSessionState.js';
import { nameOr } from '../view/names.js';

/** The classroom kiosk: no clicks, the lecture full screen, sound on. */
export function Site() {
  const lectureId = useLectureId();
  const [params] = useSearchParams();
  const name = nameOr(params.get('name'), 'Classroom');
  const session = useLectureSession(lectureId ? { lectureId, role: 'site', displayName: name } : null);
  const state = useSessionState(session);

  return (
    <div className="kiosk">
      {lectureId ? <ViewerStage session={session} state={state} /> : <BigMessage title="This lecture address is not valid" />}
      <div className="kiosk__corner">
        {state?.lecture && <StateBadge state={state.lecture.state} />}
        <span className="kiosk__name">{name}</span>
      </div>
      <AudioSink tracks={state?.remote.audio.map((a) => a.track) ?? []} />
    </div>
  );
}
