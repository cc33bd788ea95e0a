// Every console page at the office's two screen widths (1366 and 1920 px)
// with nothing cut off: no horizontal scroll on the page, no box whose
// content runs out of it sideways (a table out of its card, say), and no
// text clipped by overflow:hidden. The pages are found as a user finds
// them: the console's own navigation, then the record pages its lists link
// to (an order, a complaint, an inspection, a template, …), so a page added
// later is checked without editing this test. Each is kept as a screenshot
// under screenshots/layout/ (gitignored) to look at, named in a failure.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, openBrowser, signIn, withPage } from '../lib/browser.js';

const WIDTHS = [1366, 1920];
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots', 'layout');

let browser;

before(async () => {
  browser = await openBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
});

/** Opens `hash` afresh and waits until its screen has rendered and its
 *  requests and images have arrived. */
async function open(page, hash) {
  await page.goto('about:blank');
  await page.goto(`${BASE}/${hash}`);
  await page.waitForSelector('#app > .screen');
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  const failed = await page.locator('#app > .screen > p.error').count();
  assert.equal(failed, 0, `${hash} rendered without an error`);
}

/** The screen a console address names: "#/order/ID" → "order". */
const screenOf = (hash) => hash.split('/')[1];

/** The console's pages: its navigation, then one record page of each kind
 *  the pages link to, found breadth first. */
async function pages(page) {
  // The links this person is offered: a head's pages are hidden from the desk.
  const nav = await page.$$eval('#nav a[href^="#/"]', (as) => as.filter((a) => !a.hidden).map((a) => a.getAttribute('href')));
  const found = new Map(nav.map((href) => [screenOf(href), href]));
  const queue = [...nav];
  while (queue.length) {
    const hash = queue.shift();
    await open(page, hash);
    const links = await page.$$eval('#app a[href^="#/"]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links) {
      const screen = screenOf(href);
      if (!found.has(screen)) {
        found.set(screen, href);
        queue.push(href);
      }
    }
  }
  return [...found.entries()];
}

/** What is cut off on the page as shown: one line each. */
function cutOff() {
  const problems = [];
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) part += `#${e.id}`;
      else if (typeof e.className === 'string' && e.className.trim()) part += `.${e.className.trim().split(/\s+/).join('.')}`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el instanceof SVGTextElement) {
      // A chart's label drawn past its chart's edge is cut off too.
      const box = el.getBoundingClientRect();
      const chart = el.ownerSVGElement.getBoundingClientRect();
      if (box.left < chart.left - 1 || box.right > chart.right + 1) {
        problems.push(`${name(el)}: chart text cut off at the chart's edge ("${el.textContent}")`);
      }
      continue;
    }
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) continue;
    // A form control's own text scrolls inside it by design.
    if (['INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'SCRIPT', 'STYLE', 'BR'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    if (['inline', 'contents', 'none'].includes(style.display) || style.visibility === 'hidden') continue;
    if (el.getClientRects().length === 0) continue;
    const text = (el.textContent || '').trim().slice(0, 40);
    if (el.scrollWidth > el.clientWidth + 1) {
      const how = ['auto', 'scroll'].includes(style.overflowX) ? 'must be scrolled to be seen' : ['hidden', 'clip'].includes(style.overflowX) ? 'is clipped' : 'runs out of it';
      problems.push(`${name(el)}: content ${el.scrollWidth}px wide in ${el.clientWidth}px ${how} ("${text}")`);
    }
    if (['hidden', 'clip'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${name(el)}: text clipped at the bottom, ${el.scrollHeight}px in ${el.clientHeight}px ("${text}")`);
    }
  }
  return problems;
}

for (const user of ['director', 'supervisor', 'reception']) {
  test(`every console page reads whole at ${WIDTHS.join(' and ')} px, as ${user}`, () =>
    withPage(browser, `layout-${user}`, async (page) => {
      await signIn(page, user);
      const all = await pages(page);
      assert.ok(all.length >= 5, `the navigation and its records: ${all.map(([s]) => s).join(', ')}`);
      const failures = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const [screen, hash] of all) {
          await open(page, hash);
          const shot = join(SHOTS, `${user}-${screen}-${width}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          const problems = await page.evaluate(cutOff);
          if (problems.length) {
            failures.push(`${hash} at ${width}px (${shot}):\n  ${problems.slice(0, 8).join('\n  ')}`);
          }
        }
      }
      if (failures.length) assert.fail(`cut off:\n${failures.join('\n')}`);
    }));
}
