import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { reloadForMissingChunk } from './chunkReload.js';
import type { Area } from './i18n/catalogs.js';
import { i18nReady, loadAreas } from './i18n/index.js';
import { PAGE_AREAS } from './i18n/pageAreas.js';

/**
 * Every page is its own chunk, loaded when its route is opened: a kiosk or a phone on a weak link
 * downloads the watch or kiosk page's code only, never the admin, studio or recordings player
 * (README, "Weak connections"). The page's chunk and its language's catalogs (the `lecture` area
 * every page shows and the page's own areas, i18n/pageAreas.ts) load side by side; until all are
 * in nothing is shown (the fallback has no text to translate).
 */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType, areas: readonly Area[] = []) {
  return lazy(async () => {
    try {
      const [module] = await Promise.all([load(), i18nReady, areas.length > 0 ? loadAreas(areas) : undefined]);
      return { default: pick(module) };
    } catch {
      // A chunk (or its CSS) did not arrive: load the page again rather than stay blank (chunkReload.ts).
      reloadForMissingChunk();
      return new Promise<never>(() => undefined);
    }
  });
}

const Admin = page(() => import('./pages/Admin.js'), (m) => m.Admin, PAGE_AREAS.Admin);
const Home = page(() => import('./pages/Home.js'), (m) => m.Home, PAGE_AREAS.Home);
const NotFound = page(() => import('./pages/Home.js'), (m) => m.NotFound, PAGE_AREAS.Home);
const Kiosk = page(() => import('./pages/Kiosk.js'), (m) => m.Kiosk, PAGE_AREAS.Kiosk);
const Recording = page(() => import('./pages/Recording.js'), (m) => m.Recording, PAGE_AREAS.Recording);
const Site = page(() => import('./pages/Site.js'), (m) => m.Site, PAGE_AREAS.Site);
const Studio = page(() => import('./pages/Studio.js'), (m) => m.Studio, PAGE_AREAS.Studio);
const Watch = page(() => import('./pages/Watch.js'), (m) => m.Watch, PAGE_AREAS.Watch);

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
