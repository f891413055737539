import { useCallback, useEffect, useState, type RefObject } from 'react';

const VOLUME_KEY = 'teleclass.volume';

export interface PlayerVolume {
  /** 0–1, applied to every received sound. */
  volume: number;
  muted: boolean;
  setVolume(volume: number): void;
  toggleMuted(): void;
}

function storedVolume(): number {
  try {
    const value = Number(localStorage.getItem(VOLUME_KEY));
    return localStorage.getItem(VOLUME_KEY) !== null && value >= 0 && value <= 1 ? value : 1;
  } catch {
    return 1;
  }
}

/** The attendee's volume and mute, remembered on this device. Turning it up unmutes. */
export function usePlayerVolume(): PlayerVolume {
  const [volume, setVolumeState] = useState(storedVolume);
  const [muted, setMuted] = useState(false);
  const setVolume = useCallback((next: number) => {
    const clamped = Math.min(1, Math.max(0, next));
    setVolumeState(clamped);
    if (clamped > 0) setMuted(false);
    try {
      localStorage.setItem(VOLUME_KEY, String(clamped));
    } catch {
      // Private mode: not remembered.
    }
  }, []);
  const toggleMuted = useCallback(() => setMuted((m) => !m), []);
  return { volume, muted, setVolume, toggleMuted };
}

export interface Fullscreen {
  /** Whether the element is full screen now. */
  active: boolean;
  toggle(): void;
}

type IosVideo = HTMLVideoElement & { webkitEnterFullscreen?: () => void };

/**
 * Full screen for one element (the player: picture and its controls). Where elements cannot go
 * full screen (iPhone Safari), the lecture's <video> inside it does, with the system's player.
 */
export function useFullscreen(ref: RefObject<HTMLElement | null>): Fullscreen {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const changed = () => setActive(document.fullscreenElement !== null && document.fullscreenElement === ref.current);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, [ref]);
  const toggle = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    if (document.fullscreenElement) {
      void document.exitFullscreen().catch(() => {});
    } else if (element.requestFullscreen) {
      void element.requestFullscreen({ navigationUI: 'hide' }).catch(() => {});
    } else {
      element.querySelector<IosVideo>('video[data-testid="slides-video"], video[data-testid="lecture-video"]')?.webkitEnterFullscreen?.();
    }
  }, [ref]);
  return { active, toggle };
}
