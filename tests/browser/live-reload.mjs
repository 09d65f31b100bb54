// Live reload of `transparency-report serve`, in Debian's Chromium with the page's own
// Content-Security-Policy in force.
//
//   node live-reload.mjs URL NARRATIVE_FILE [SCREENSHOT]
//
// Opens URL, waits for the reload script to ask the server for the build number (so the
// script runs under the page's policy), rewrites NARRATIVE_FILE, and waits for the page to
// reload by itself and show the new text. Fails (exit 1) when that does not happen within
// 30 s, or when the page reports an error (a blocked script or request included). Exit 2 for
// a usage or setup problem.

import { chromium } from 'playwright-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PATIENCE_MS = 30_000;

const [url, narrative, screenshot] = process.argv.slice(2);
if (!url || !narrative) {
  console.error('usage: node live-reload.mjs URL NARRATIVE_FILE [SCREENSHOT]');
  process.exit(2);
}

const userDataDir = await mkdtemp(path.join(tmpdir(), 'transparency-report-serve-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
} catch (e) {
  console.error(`cannot start Chromium (${CHROMIUM}): ${e.message}`);
  process.exit(2);
}

const problems = [];
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const version = () =>
    page.evaluate(() => document.querySelector('script[data-version]')?.dataset.version);

  const polled = page.waitForRequest((r) => r.url().endsWith('/__serve/version'), {
    timeout: PATIENCE_MS,
  });
  await page.goto(url);
  await polled;
  const before = await version();
  console.log(`loaded ${await page.title()} (build ${before}); the reload script polls`);

  const marker = `Shown without pressing reload (${process.pid})`;
  await writeFile(narrative, `## A word from the committee\n\n${marker}\n`);
  await page.getByText(marker).waitFor({ timeout: PATIENCE_MS });
  const after = await version();
  console.log(`reloaded by itself to build ${after}: the new narrative is on the page`);
  if (after === before) problems.push(`the build number stayed ${before}`);
  if (screenshot) {
    await page.getByText(marker).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot });
  }
} catch (e) {
  problems.push(e.message);
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}
for (const p of problems) {
  console.error(p);
  failed = true;
}
process.exit(failed ? 1 : 0);
