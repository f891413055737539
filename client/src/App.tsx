import { BrowserRouter, Route, Routes } from 'react-router';
import { Admin } from './pages/Admin.js';
import { Home, NotFound } from './pages/Home.js';
import { Kiosk } from './pages/Kiosk.js';
import { Recording } from './pages/Recording.js';
import { Site } from './pages/Site.js';
import { Studio } from './pages/Studio.js';
import { Watch } from './pages/Watch.js';

export function App() {
  return (
    <BrowserRouter>
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
    </BrowserRouter>
  );
}
