import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { useNow } from '../hooks/useNow.js';
import { floorOpening, sendsSound } from '../view/floor.js';
import { countQuestions } from '../view/questions.js';
import { AttendancePanel } from './AttendancePanel.js';
import { ChatPanel } from './ChatPanel.js';
import { HandQueue } from './HandQueue.js';
import { LobbyPanel } from './LobbyPanel.js';
import { OnStagePanel } from './OnStagePanel.js';
import { SitesPanel } from './SitesPanel.js';
import { ParticipantList } from './ParticipantList.js';
import { SoundBlockedAlert } from './SoundBlockedAlert.js';

type Tab = 'chat' | 'participants' | 'attendance';

/** The studio's right-hand column: the floor (hands, stage), the lobby, then chat / participants / attendance. */
export function StudioSide() {
  const { t } = useTranslation();
  const now = useNow();
  const [tab, setTab] = useState<Tab>('chat');
  const state = useLectureState();
  const act = useLectureActions();
  if (!state) return null;
  const joined = state.phase === 'joined';
  const openQuestions = countQuestions(state.chat).open;

  return (
    <aside className="studio__side">
      <SoundBlockedAlert peers={state.peers} />
      <HandQueue
        hands={state.hands}
        now={now}
        floor={floorOpening(state)}
        onGiveFloor={(id) => void act.giveFloor(id)}
        onDismiss={(id) => void act.dismissHand(id)}
      />
      <OnStagePanel
        stage={state.stage}
        invited={state.invited}
        remote={state.remote}
        now={now}
        onTakeFloor={(id) => void act.takeFloor(id)}
        onMute={(id) => void act.muteParticipant(id)}
      />
      <SitesPanel sites={state.sitesHealth} />
      <LobbyPanel
        locked={state.lecture?.locked ?? false}
        waiting={state.lobby}
        now={now}
        disabled={!joined}
        onSetLocked={(locked) => void act.setLocked(locked)}
        onAdmit={(id) => void act.admit(id)}
      />
      <section className="panel tabs">
        <div className="tabs__bar" role="tablist">
          <TabButton tab="chat" current={tab} onSelect={setTab} testId="chat-tab">
            {t('tabs.chat')}{openQuestions > 0 && <span className="tabs__badge">{openQuestions}</span>}
          </TabButton>
          <TabButton tab="participants" current={tab} onSelect={setTab} testId="participants-tab">
            {t('tabs.people')} <span className="tabs__count">{state.peers.length}</span>
          </TabButton>
          <TabButton tab="attendance" current={tab} onSelect={setTab} testId="attendance">
            {t('tabs.attendance')}
          </TabButton>
        </div>
        <div className="tabs__panel" role="tabpanel">
          {tab === 'chat' && (
            <ChatPanel
              chat={state.chat}
              selfIdentity={state.self?.identity ?? null}
              moderator
              disabled={!joined || state.lecture?.state === 'ended'}
              onSend={(text) => act.sendChat(text)}
              onMarkAnswered={(id) => void act.markAnswered(id)}
            />
          )}
          {tab === 'participants' && (
            <ParticipantList
              peers={state.peers}
              removed={state.removed}
              droppedSites={state.droppedSites}
              activeSpeakerId={state.activeSpeakerId}
              moderation={{
                sendsSound: (id) => sendsSound(state.remote, id),
                onMute: (id) => void act.muteParticipant(id),
                onRemove: (id) => void act.removeParticipant(id),
                onRestore: (identity) => void act.restoreParticipant(identity),
              }}
            />
          )}
          {tab === 'attendance' && <AttendancePanel load={act.getAttendance} />}
        </div>
      </section>
    </aside>
  );
}

function TabButton(props: { tab: Tab; current: Tab; testId: string; onSelect: (tab: Tab) => void; children: React.ReactNode }) {
  const selected = props.tab === props.current;
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      className={`tabs__tab ${selected ? 'tabs__tab--on' : ''}`}
      data-testid={props.testId}
      onClick={() => props.onSelect(props.tab)}
    >
      {props.children}
    </button>
  );
}
