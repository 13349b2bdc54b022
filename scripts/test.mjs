#!/usr/bin/env node
// `npm test`: install what is missing, then lint, typecheck, unit and integration tests, and the
// end-to-end tests in Chromium. Ends with one "N passed, N failed" line over every test run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';
import { pnpm, root } from './pnpm.mjs';

const started = Date.now();
const workspaceDirs = ['apps', 'packages'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name)),
);
const vitestReport = (dir) => join(dir, 'test-results', 'vitest.json');
const e2eReport = join(root, 'e2e', 'test-results', 'e2e.json');

function step(name, args, env) {
  console.log(`\n[meshpad] ${name}`);
  const code = pnpm(args, env ? { env } : {});
  if (code !== 0) {
    summarize();
    console.error(`[meshpad] ${name} failed (exit ${code}); see the output above.`);
    process.exit(code);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const dir of workspaceDirs) {
    const report = readJson(vitestReport(dir));
    if (!report) continue;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  const e2e = readJson(e2eReport);
  if (e2e?.stats) {
    passed += e2e.stats.expected ?? 0;
    failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
    skipped += e2e.stats.skipped ?? 0;
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n[meshpad] all tests finished in ${minutes} min`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

for (const dir of workspaceDirs) rmSync(join(dir, 'test-results'), { recursive: true, force: true });
rmSync(e2eReport, { force: true });

step('install', ['install', process.env.CI ? '--frozen-lockfile' : '--prefer-offline', '--reporter=append-only']);
console.log('\n[meshpad] browser');
ensureChromium();
step('lint', ['run', 'lint']);
step('build and typecheck', ['exec', 'turbo', 'run', 'build', 'typecheck', '--output-logs=errors-only']);
step('unit and integration tests', [
  'exec',
  'turbo',
  'run',
  'test',
  '--force',
  '--concurrency=1',
  '--',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
if (existsSync(join(root, 'e2e', 'playwright.config.ts'))) {
  step('end-to-end tests in Chromium', ['--filter', '@meshpad/e2e', 'run', 'e2e'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
  });
}
summarize();
