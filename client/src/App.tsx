import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';

/**
 * Every page is its own chunk, loaded when its route is opened: a kiosk or a phone on a weak link
 * downloads the watch or kiosk page's code only, never the admin, studio or recordings player
 * (README, "Weak connections"). While a page's chunk arrives nothing is shown (it is small; the
 * fallback has no text to translate).
 */
const Admin = lazy(() => import('./pages/Admin.js').then((m) => ({ default: m.Admin })));
const Home = lazy(() => import('./pages/Home.js').then((m) => ({ default: m.Home })));
const NotFound = lazy(() => import('./pages/Home.js').then((m) => ({ default: m.NotFound })));
const Kiosk = lazy(() => import('./pages/Kiosk.js').then((m) => ({ default: m.Kiosk })));
const Recording = lazy(() => import('./pages/Recording.js').then((m) => ({ default: m.Recording })));
const Site = lazy(() => import('./pages/Site.js').then((m) => ({ default: m.Site })));
const Studio = lazy(() => import('./pages/Studio.js').then((m) => ({ default: m.Studio })));
const Watch = lazy(() => import('./pages/Watch.js').then((m) => ({ default: m.Watch })));

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={null}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/admin" element={<Admin />} />
          <Route path="/studio/:lectureId" element={<Studio />} />
          <Route path="/site/:lectureId" element={<Site />} />
          <Route path="/kiosk/:siteId" element={<Kiosk />} />
          <Route path="/watch/:lectureId" element={<Watch />} />
          <Route path="/recordings/:recordingId" element={<Recording />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
