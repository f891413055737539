// The client's layers (ARCHITECTURE.md: wire → session → hooks → pages): components and pages get
// state and callbacks from hooks (client/src/hooks) and view models (client/src/view), never the
// LectureSession object nor anything imported from client/src/media.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

/** What breaks the layering in one file of components/ or pages/ (empty: nothing). */
function layerViolations(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    if (/(^|\/)media\//.test(m[1]!)) found.push(`imports ${m[1]}`);
  }
  if (/\bLectureSession\b/.test(code)) found.push('names LectureSession');
  for (const m of code.matchAll(/<[A-Z]\w*[^>]*\ssession=\{/g)) found.push(`passes a session prop: ${m[0].slice(0, 40)}`);
  return found;
}

describe('client layers', () => {
  it('the check finds a media import, a LectureSession type and a session prop', () => {
    expect(layerViolations(`import type { StageFeed } from '../media/sessionState.js';`)).toHaveLength(1);
    expect(layerViolations(`import { isOnStage } from "../../media/floor.js";`)).toHaveLength(1);
    expect(layerViolations(`export function X({ s }: { s: LectureSession }) {}`)).toEqual(['names LectureSession']);
    expect(layerViolations(`return <StudioSide session={s} state={state} />;`)).toHaveLength(1);
    expect(layerViolations(`import { floorView } from '../view/floor.js'; // not '../media/floor.js'`)).toEqual([]);
  });

  it('components and pages import nothing from client/src/media and never receive the session', () => {
    const found: string[] = [];
    for (const dir of ['components', 'pages']) {
      const files = sourceFiles(path.join(SRC, dir));
      expect(files.length).toBeGreaterThan(5);
      for (const file of files) {
        for (const v of layerViolations(readFileSync(file, 'utf8'))) found.push(`${path.relative(SRC, file)}: ${v}`);
      }
    }
    expect(found).toEqual([]);
  });
});
