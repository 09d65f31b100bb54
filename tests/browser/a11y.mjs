// Accessibility and offline check of a generated report page, in Debian's Chromium.
//
//   node a11y.mjs path/to/index.html screenshot-dir
//   node a11y.mjs path/to/slide.html screenshot-dir --slide
//
// Fails (exit 1) when axe finds a WCAG 2.0/2.1/2.2 A or AA violation in the light or the
// dark colour scheme or at a 400px-wide viewport, when the page asks for anything but
// itself (the report must work offline), when the narrow layout scrolls sideways, or when
// the page throws. Writes light.png, dark.png, narrow.png and print.png for a person to look at.
// Exit 2 for a usage or setup problem.
//
// With --slide (the closing-session slide, `[slide]`): the light and dark runs are at the
// projector's 1920×1080 and the page must fit it without scrolling; the screenshots are of
// that viewport, and slide.svg beside the page is drawn too (svg.png).

import { chromium } from 'playwright-core';
import { mkdtemp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

function usage(message) {
  console.error(`${message}\nusage: node a11y.mjs INDEX_HTML SCREENSHOT_DIR [--slide]`);
  process.exit(2);
}

const [htmlArg, outArg, modeArg] = process.argv.slice(2);
if (modeArg !== undefined && modeArg !== '--slide') usage(`unknown option ${modeArg}`);
const slide = modeArg === '--slide';
if (!htmlArg || !outArg) usage('missing argument');
const htmlPath = path.resolve(htmlArg);
try {
  if (!(await stat(htmlPath)).isFile()) usage(`${htmlPath} is not a file`);
} catch {
  usage(`${htmlPath} does not exist`);
}
const outDir = path.resolve(outArg);
await mkdir(outDir, { recursive: true });

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const pageUrl = pathToFileURL(htmlPath).href;

const problems = [];

// The page itself (with or without a #fragment) and inline data are all it may load.
// With --slide, slide.svg beside the page is read too, after the page's own checks.
const svgUrl = slide ? pathToFileURL(path.join(path.dirname(htmlPath), 'slide.svg')).href : null;
function allowed(url) {
  if (url.startsWith('data:') || url.startsWith('about:')) return true;
  const bare = url.split('#')[0];
  return bare === pageUrl || bare === svgUrl;
}

const userDataDir = await mkdtemp(path.join(tmpdir(), 'transparency-report-a11y-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    // The page's own Content-Security-Policy forbids scripts; axe is injected by the test.
    bypassCSP: true,
    offline: true,
  });
} catch (err) {
  await rm(userDataDir, { recursive: true, force: true });
  console.error(`cannot start ${CHROMIUM}: ${err.message}`);
  process.exit(2);
}

try {
  context.on('request', (request) => {
    if (!allowed(request.url())) problems.push(`external request: ${request.method()} ${request.url()}`);
  });
  // Record, then refuse: nothing leaves the machine even if the page tries.
  await context.route('**/*', (route) =>
    allowed(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );

  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });

  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  if (response && !response.ok()) problems.push(`loading the page failed: ${response.status()}`);
  await page.addScriptTag({ content: axeSource });

  const runs = slide
    ? [
        { name: 'light', colorScheme: 'light', width: 1920, height: 1080, fits: true },
        { name: 'dark', colorScheme: 'dark', width: 1920, height: 1080, fits: true },
        { name: 'narrow', colorScheme: 'light', width: 400, height: 900 },
      ]
    : [
        { name: 'light', colorScheme: 'light', width: 1280, height: 900 },
        { name: 'dark', colorScheme: 'dark', width: 1280, height: 900 },
        { name: 'narrow', colorScheme: 'light', width: 400, height: 900 },
      ];
  for (const run of runs) {
    await page.setViewportSize({ width: run.width, height: run.height });
    await page.emulateMedia({ media: 'screen', colorScheme: run.colorScheme });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    for (const v of result.violations) {
      const nodes = v.nodes
        .slice(0, 10)
        .map((n) => `      ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 10 ? `\n      … and ${v.nodes.length - 10} more` : '';
      problems.push(`[${run.name}] axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`);
    }
    console.log(`${run.name}: ${result.passes.length} axe rule(s) passed, ${result.violations.length} violation(s)`);

    // WCAG 1.4.10: at 320 CSS px (we check 400) only tables may scroll sideways, inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`[${run.name}] the page scrolls sideways by ${overflow}px`);
    if (run.fits) {
      // A slide is read whole from the back of a room: nothing below the fold.
      const below = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      if (below > 0) problems.push(`[${run.name}] the slide does not fit ${run.width}×${run.height}: it scrolls by ${below}px`);
    }

    await page.screenshot({ path: path.join(outDir, `${run.name}.png`), fullPage: !run.fits });
  }

  if (slide) {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
    // Inline, as a slide deck shows it: a screenshot of a bare SVG document hangs in headless Chromium.
    const svgText = await readFile(new URL(svgUrl), 'utf8');
    await page.setContent(`<!DOCTYPE html><html lang="en"><body style="margin:0">${svgText}</body></html>`);
    await page.screenshot({ path: path.join(outDir, 'svg.png') });
  }

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  await page.screenshot({ path: path.join(outDir, 'print.png'), fullPage: true });
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in ${htmlPath}:\n`);
  for (const p of problems) console.error(`- ${p}\n`);
  process.exit(1);
}
console.log(`ok: no axe violation (${AXE_TAGS.join(', ')}), no external request; screenshots in ${outDir}`);
