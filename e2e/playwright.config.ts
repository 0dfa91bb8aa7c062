import { defineConfig } from '@playwright/test';

const frontendUrl = process.env.FRONTEND_URL ?? 'http://127.0.0.1:3000';
const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';

/**
 * Drives Debian's Chromium (Playwright's own browser download is not used). The backend and the
 * built frontend are started here unless they already answer (as under `npm start`).
 */
export default defineConfig({
  testDir: './tests',
  testMatch: '**/*.e2e-spec.ts',
  outputDir: './output/results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'output/report.json' }]],
  use: {
    baseURL: frontendUrl,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
    },
  },
  webServer: [
    {
      command: 'npm run start -w backend',
      cwd: '..',
      url: `${backendUrl}/api/docs-json`,
      reuseExistingServer: true,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      // not production: that refuses AUTH_MODE=none, which these local browser tests use
      env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
    },
    {
      command: 'npm run start -w frontend',
      cwd: '..',
      url: frontendUrl,
      reuseExistingServer: true,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
