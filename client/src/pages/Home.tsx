import { Link } from 'react-router';

/** What the three addresses are for. */
export function Home() {
  return (
    <main className="home">
      <h1>Teleclass</h1>
      <p className="home__lead">One live lecture from the studio to every classroom and browser.</p>
      <ul className="home__roles">
        <li>
          <Link to="/studio/demo">/studio/demo</Link>
          <p>The trainer's studio: pick camera and microphone, check the preview, go live, share slides, end the lecture.</p>
        </li>
        <li>
          <Link to="/site/demo?name=Ganja">/site/demo?name=Ganja</Link>
          <p>A classroom kiosk on the projector: joins by itself and shows the lecture full screen. <code>?name=</code> names the classroom.</p>
        </li>
        <li>
          <Link to="/watch/demo">/watch/demo</Link>
          <p>A remote attendee: type your name and watch in the browser.</p>
        </li>
      </ul>
      <p className="home__note">
        Replace <code>demo</code> with the lecture's id (lowercase letters, digits and dashes).
      </p>
    </main>
  );
}

export function NotFound() {
  return (
    <main className="home">
      <h1>Page not found</h1>
      <p>
        See the <Link to="/">start page</Link> for the addresses of the studio, the classrooms and attendees.
      </p>
    </main>
  );
}
