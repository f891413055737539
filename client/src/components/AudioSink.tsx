import { useCallback, useEffect, useRef, useState } from 'react';
import { EnableSoundOverlay } from './EnableSoundOverlay.js';

const isAutoplayBlock = (error: unknown) =>
  typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError';

export interface AudioSinkProps {
  tracks: readonly MediaStreamTrack[];
  /** 0–1 (the attendee's volume slider); 1 when not given. */
  volume?: number;
  muted?: boolean;
  /** Told whether sound is blocked now (the overlay is up), e.g. to let the studio know. */
  onBlockedChange?: (blocked: boolean) => void;
}

/**
 * Plays received audio through <audio> elements. If the browser's autoplay policy blocks it, one
 * big "Enable sound" button covers the screen; a click on it (a user gesture) starts the sound.
 */
export function AudioSink({ tracks, volume = 1, muted = false, onBlockedChange }: AudioSinkProps) {
  const [blocked, setBlocked] = useState(false);
  const elements = useRef(new Set<HTMLAudioElement>());

  const play = useCallback((audio: HTMLAudioElement) => {
    audio.play().then(
      () => setBlocked(false),
      (error: unknown) => {
        if (isAutoplayBlock(error)) setBlocked(true);
      },
    );
  }, []);

  const register = useCallback((audio: HTMLAudioElement, present: boolean) => {
    if (present) elements.current.add(audio);
    else elements.current.delete(audio);
  }, []);

  const enable = () => {
    for (const audio of elements.current) play(audio);
    if (elements.current.size === 0) setBlocked(false);
  };

  const shown = blocked && tracks.length > 0;
  const onBlockedChangeRef = useRef(onBlockedChange);
  onBlockedChangeRef.current = onBlockedChange;
  useEffect(() => onBlockedChangeRef.current?.(shown), [shown]);

  return (
    <>
      {tracks.map((track) => (
        <AudioTrack key={track.id} track={track} play={play} register={register} volume={volume} muted={muted} />
      ))}
      {shown && <EnableSoundOverlay onEnable={enable} />}
    </>
  );
}

interface AudioTrackProps {
  track: MediaStreamTrack;
  play: (audio: HTMLAudioElement) => void;
  register: (audio: HTMLAudioElement, present: boolean) => void;
  volume: number;
  muted: boolean;
}

function AudioTrack({ track, play, register, volume, muted }: AudioTrackProps) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([track]);
    register(audio, true);
    play(audio);
    return () => {
      register(audio, false);
      audio.srcObject = null;
    };
  }, [track, play, register]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.volume = volume;
    audio.muted = muted;
  }, [volume, muted]);
  return <audio ref={ref} autoPlay data-testid="remote-audio" />;
}
