import { expect, type Request, test } from '@playwright/test';
import { Run } from '@userstream/contracts';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';

test('schedules: invalid input shows field errors and sends nothing; create, disable, delete', async ({
  page,
}) => {
  const posts: Request[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().includes('/api/ingestion/schedules')) {
      posts.push(req);
    }
  });
  await page.goto('/runs');
  await page.getByTestId('new-schedule').click();
  const form = page.getByTestId('schedule-form');
  await form.getByLabel('Cron').fill('x');
  await form.getByLabel('Rate (users/s)').fill('-5');
  await form.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByTestId('error-schedule-name')).toHaveText('Required');
  await expect(page.getByTestId('error-schedule-cron')).toBeVisible();
  await expect(page.getByTestId('error-schedule-rate')).toHaveText('Must be at least 1');
  expect(posts).toHaveLength(0);

  // the server's cron check answers under the field too
  const name = `e2e ${Date.now()}`;
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Cron').fill('99 * * * *');
  await form.getByLabel('Rate (users/s)').fill('100');
  await form.getByLabel('Batch size').fill('10');
  await form.getByLabel('Limit (users)').fill('10');
  await form.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByTestId('error-schedule-cron')).toBeVisible();
  expect(posts).toHaveLength(1);

  await form.getByLabel('Cron').fill('0 0 1 1 *');
  await form.getByRole('button', { name: 'Create schedule' }).click();
  const row = page.getByTestId('schedule-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  const toggle = row.getByRole('switch', { name: `${name} enabled` });
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await page.screenshot({ path: `${shots}/runs-schedules.png`, fullPage: true });

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.press('Space');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(row).toHaveCount(0);
});

test('a run with more events than its box shows opens on its latest, the end among them', async ({
  page,
  request,
}) => {
  // 300 source pages: the first ten, then every 2^k-th page is an event, with the start and the end: 17 in all
  const response = await request.post(`${backendUrl}/api/ingestion/runs`, {
    data: { source: 'synthetic', ratePerSecond: 20_000, batchSize: 10, maxRecords: 3_000 },
    headers: { connection: 'close' },
  });
  expect(response.status()).toBe(201);
  const run = Run.parse(await response.json());
  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'completed', { timeout: 90_000 });
  const box = page.getByTestId('run-events');
  const events = box.getByTestId('run-event');
  await expect(events).toHaveCount(17);
  await box.scrollIntoViewIfNeeded();
  // the box scrolls: its first event is out of sight, its last in sight
  expect(await box.evaluate((list) => list.scrollHeight > list.clientHeight)).toBe(true);
  await expect(events.last()).toHaveAttribute('data-kind', 'completed');
  await expect(events.last()).toBeInViewport();
  await expect(events.first()).not.toBeInViewport();
});

test('an unknown run says so', async ({ page }) => {
  await page.goto('/runs/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('alert').filter({ hasText: 'Run not found' })).toBeVisible();
});

test('the Runs page works at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/runs');
  await expect(page.getByRole('heading', { name: 'Runs', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await page.screenshot({ path: `${shots}/runs-phone.png`, fullPage: true });
  await page.goto('/live');
  await expect(page.getByTestId('stage-kafka')).toBeVisible();
  await page.screenshot({ path: `${shots}/live-phone.png`, fullPage: true });
});
