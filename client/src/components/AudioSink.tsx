import { useCallback, useEffect, useRef, useState } from 'react';
import { EnableSoundOverlay } from './EnableSoundOverlay.js';

const isAutoplayBlock = (error: unknown) =>
  typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError';

/**
 * Plays received audio through <audio> elements. If the browser's autoplay policy blocks it, one
 * big "Enable sound" button covers the screen; a click on it (a user gesture) starts the sound.
 */
export function AudioSink({ tracks, onBlocked }: { tracks: readonly MediaStreamTrack[]; onBlocked?: (blocked: boolean) => void }) {
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    onBlocked?.(blocked && tracks.length > 0);
  }, [blocked, tracks.length, onBlocked]);
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

  return (
    <>
      {tracks.map((track) => (
        <AudioTrack key={track.id} track={track} play={play} register={register} />
      ))}
      {blocked && tracks.length > 0 && <EnableSoundOverlay onEnable={enable} />}
    </>
  );
}

interface AudioTrackProps {
  track: MediaStreamTrack;
  play: (audio: HTMLAudioElement) => void;
  register: (audio: HTMLAudioElement, present: boolean) => void;
}

function AudioTrack({ track, play, register }: AudioTrackProps) {
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
  return <audio ref={ref} autoPlay />;
}
