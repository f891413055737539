import { Link } from 'react-router';

/** What Teleclass is, where lectures are made, and the three kinds of links. */
export function Home() {
  return (
    <main className="home">
      <h1>Teleclass</h1>
      <p className="home__lead">One live lecture from the studio to every classroom and browser.</p>
      <p>
        Lectures are created on the <Link to="/admin">admin page</Link> (with the admin token). Each lecture gets its own links;
        hand out each one only to whom it is for:
      </p>
      <ul className="home__roles">
        <li>
          <strong>Trainer link</strong> — <code>/studio/&lt;lecture&gt;?token=…</code>
          <p>The studio: pick camera and microphone, go live, share slides, give the floor to a classroom, answer questions, end the lecture.</p>
        </li>
        <li>
          <strong>Classroom links</strong>, one per classroom — <code>/site/&lt;lecture&gt;?token=…</code>
          <p>
            Open on the classroom's kiosk (projector and touch screen): it joins by itself and shows the lecture full screen. A big
            button raises the classroom's hand; given the floor, its camera and microphone go on air by themselves.
          </p>
        </li>
        <li>
          <strong>Attendee link</strong>, shared by everyone online — <code>/watch/&lt;lecture&gt;?token=…</code>
          <p>Each person types a name and watches in the browser, chats, asks questions and may raise a hand.</p>
        </li>
      </ul>
      <p className="home__note">A link opened once keeps working in the same tab after a reload. Links expire some hours after the lecture's start.</p>
    </main>
  );
}

export function NotFound() {
  return (
    <main className="home">
      <h1>Page not found</h1>
      <p>
        See the <Link to="/">start page</Link>: lectures and their links are made on the <Link to="/admin">admin page</Link>.
      </p>
    </main>
  );
}
