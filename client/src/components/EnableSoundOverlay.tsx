/** The one thing on screen while the browser blocks sound: a button as large as the screen. */
export function EnableSoundOverlay({ onEnable }: { onEnable: () => void }) {
  return (
    <button type="button" className="enable-sound" data-testid="enable-sound" onClick={onEnable}>
      <span className="enable-sound__icon" aria-hidden="true">
        🔊
      </span>
      Enable sound
    </button>
  );
}
