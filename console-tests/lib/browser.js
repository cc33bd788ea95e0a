// Headless Debian Chromium for the console tests, with the flags that keep
// it off the network (no background fetches, updates or sync), a fresh
// profile per run, and a screenshot of the page whenever a step fails.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = process.env.ROUNDS_BASE ?? 'http://127.0.0.1:8080';
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export async function openBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'rounds-console-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs `fn(page)`; on failure saves screenshots/NAME.png and rethrows. */
export async function withPage(browser, name, fn) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await fn(page);
  } catch (err) {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name.replace(/[^\w-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    err.message += `\n(screenshot: ${file})`;
    throw err;
  } finally {
    await page.close();
  }
}

/** Signs in on the console's own login page, signing out first whoever
 *  this page is signed in as (the session lives in the tab). */
export async function signIn(page, username, password = 'rounds-demo') {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-form, #nav:not([hidden])');
  const logout = page.locator('#logout');
  if (await logout.isVisible()) {
    await logout.click();
    await page.waitForSelector('#login-form');
  }
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}

/** The value of a datetime-local input `days` from today at `hm` ("18:00"),
 *  in the browser's time zone (the office's). */
export function localDateTime(page, days, hm) {
  return page.evaluate(([days, hm]) => {
    const d = new Date(Date.now() + days * 86_400_000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${hm}`;
  }, [days, hm]);
}
