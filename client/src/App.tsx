import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { reloadForMissingChunk } from './chunkReload.js';
import { i18nReady } from './i18n/index.js';

/**
 * Every page is its own chunk, loaded when its route is opened: a kiosk or a phone on a weak link
 * downloads the watch or kiosk page's code only, never the admin, studio or recordings player
 * (README, "Weak connections"). The page's chunk and the language's catalog load side by side;
 * until both are in nothing is shown (the fallback has no text to translate).
 */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  return lazy(async () => {
    try {
      const [module] = await Promise.all([load(), i18nReady]);
      return { default: pick(module) };
    } catch {
      // A chunk (or its CSS) did not arrive: load the page again rather than stay blank (chunkReload.ts).
      reloadForMissingChunk();
      return new Promise<never>(() => undefined);
    }
  });
}

const Admin = page(() => import('./pages/Admin.js'), (m) => m.Admin);
const Home = page(() => import('./pages/Home.js'), (m) => m.Home);
const NotFound = page(() => import('./pages/Home.js'), (m) => m.NotFound);
const Kiosk = page(() => import('./pages/Kiosk.js'), (m) => m.Kiosk);
const Recording = page(() => import('./pages/Recording.js'), (m) => m.Recording);
const Site = page(() => import('./pages/Site.js'), (m) => m.Site);
const Studio = page(() => import('./pages/Studio.js'), (m) => m.Studio);
const Watch = page(() => import('./pages/Watch.js'), (m) => m.Watch);

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
