// What a page looks like on the screen it is on: its width against the viewport's, and where
// elements are drawn (getBoundingClientRect), for the every-screen-size tests.
import type { Page } from 'playwright-core';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  /** The screen's size as set (a phone's browser widens its window.innerWidth to fit a page that is too wide). */
  screenWidth: number;
  screenHeight: number;
  innerWidth: number;
  innerHeight: number;
  /** document.scrollingElement.scrollWidth: more than innerWidth means sideways scrolling. */
  scrollWidth: number;
  /** The first element with each asked test id, or null when there is none. */
  boxes: Record<string, Box | null>;
}

export async function layout(page: Page, testIds: readonly string[] = []): Promise<Layout> {
  const screen = page.viewportSize()!;
  const inPage = await page.evaluate((ids) => {
    const boxes: Record<string, { x: number; y: number; width: number; height: number } | null> = {};
    for (const id of ids) {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      boxes[id] = r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    }
    return { innerWidth: window.innerWidth, innerHeight: window.innerHeight, scrollWidth: document.scrollingElement!.scrollWidth, boxes };
  }, testIds);
  return { screenWidth: screen.width, screenHeight: screen.height, ...inPage };
}

/** Whether a box lies inside the viewport: across only, or (`whole`) also from top to bottom. */
export function inside(box: Box | null, l: Pick<Layout, 'screenWidth' | 'screenHeight'>, whole = true): boolean {
  if (!box || box.width <= 0 || box.height <= 0) return false;
  const across = box.x >= -0.5 && box.x + box.width <= l.screenWidth + 0.5;
  const down = box.y >= -0.5 && box.y + box.height <= l.screenHeight + 0.5;
  return across && (!whole || down);
}

/** The viewport resized, and the layout settled (two frames) before measuring. */
export async function resize(page: Page, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The deepest elements that stick out past the right edge (to say what makes a page too wide). */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 0.5 || r.width === 0) continue;
      const child = [...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5);
      if (!child) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.getAttribute('data-testid') ?? ''}] right=${Math.round(r.right)}`);
    }
    return out.slice(0, 8);
  }, page.viewportSize()!.width);
}
