import { expect, type Request, test } from '@playwright/test';

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
