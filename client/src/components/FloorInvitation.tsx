/** The trainer gave this attendee the floor: nothing is sent until they accept. */
export function FloorInvitation({ onAnswer }: { onAnswer: (accept: boolean) => void }) {
  return (
    <div className="floor-invitation" role="alertdialog" aria-labelledby="floor-invitation-title" data-testid="floor-invitation">
      <p id="floor-invitation-title" className="floor-invitation__text">
        The trainer invites you to speak. Your camera and microphone go on for everyone when you accept.
      </p>
      <div className="floor-invitation__actions">
        <button type="button" className="button button--primary" data-testid="accept-floor" onClick={() => onAnswer(true)}>
          Accept
        </button>
        <button type="button" className="button" data-testid="decline-floor" onClick={() => onAnswer(false)}>
          Decline
        </button>
      </div>
    </div>
  );
}
