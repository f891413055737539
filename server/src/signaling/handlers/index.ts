import type { Handlers } from '../context.js';
import { getAttendance, markAnswered, sendChat } from './chat.js';
import { closeConsumer, consume, pauseConsumer, resumeConsumer, setPreferredLayers, setViewport } from './consume.js';
import { answerFloor, dismissHand, giveFloor, lowerHand, raiseHand, takeFloor } from './floor.js';
import { endLecture, recordingLink, startLecture } from './lecture.js';
import { admit, muteParticipant, removeParticipant, restoreParticipant, setLocked } from './moderation.js';
import { reportPlayback } from './playback.js';
import { setReceiveMode } from './receiveMode.js';
import { closeProducer, pauseProducer, produce, resumeProducer } from './produce.js';
import { reportPreflight, reportQuality } from './quality.js';
import { startRecording, stopRecording } from './recording.js';
import { join, leave, prepareRecv, resume, routerCapabilities } from './session.js';
import { setProgram, studioFeed } from './studioFeed.js';
import { connectTransport, createTransport, restartIce } from './transport.js';

/** Every method's handler; the type makes a missing one a compile error. */
export const handlers: Handlers = {
  join,
  resume,
  routerCapabilities,
  prepareRecv,
  leave,
  createTransport,
  connectTransport,
  restartIce,
  produce,
  pauseProducer,
  resumeProducer,
  closeProducer,
  consume,
  resumeConsumer,
  pauseConsumer,
  closeConsumer,
  setPreferredLayers,
  setViewport,
  reportPlayback,
  setReceiveMode,
  startLecture,
  endLecture,
  startRecording,
  stopRecording,
  setLocked,
  admit,
  raiseHand,
  lowerHand,
  dismissHand,
  giveFloor,
  takeFloor,
  answerFloor,
  muteParticipant,
  removeParticipant,
  restoreParticipant,
  sendChat,
  markAnswered,
  getAttendance,
  recordingLink,
  reportQuality,
  reportPreflight,
  studioFeed,
  setProgram,
};
