import { defineConfig, type ReporterDescription } from '@playwright/test';

const reporters: ReporterDescription[] = [['list']];
// `npm test` collects the results of every suite from this file.
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporters.push(['json']);

export default defineConfig({
  testDir: 'tests',
  globalSetup: './global-setup.ts',
  outputDir: 'test-results/artifacts',
  fullyParallel: true,
  // Each test drives two or three Chromium instances and a relay: on the 2-core machines this project is
  // tested on, two tests at once starve each other (pages then took 8 s to open and tests hit their timeouts).
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: reporters,
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.MESHPAD_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // WebRTC between the test browsers runs on loopback only (support/loopback-only.mjs).
        '--allow-loopback-in-peer-connection',
      ],
    },
  },
});
