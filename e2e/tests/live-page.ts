import { expect, type Page } from '@playwright/test';
import { Run } from '@userstream/contracts';

/** Opens the Live page and waits for its socket. */
export async function openLive(page: Page): Promise<void> {
  await page.goto('/live');
  await expect(page.getByTestId('live-connection')).toHaveAttribute('data-state', 'connected');
}

/** Fills the Live page's start form and starts a synthetic run; returns the run the API answered with. */
export async function startFromForm(
  page: Page,
  fields: { rate: string; batch: string; limit?: string; duration?: string },
): Promise<Run> {
  await page.getByLabel('Source').selectOption('synthetic');
  await page.getByLabel('Rate (users/s)').fill(fields.rate);
  await page.getByLabel('Batch size').fill(fields.batch);
  await page.getByLabel('Limit (users)').fill(fields.limit ?? '');
  await page.getByLabel('Duration (s)').fill(fields.duration ?? '');
  const created = page.waitForResponse(
    (res) => res.url().endsWith('/api/ingestion/runs') && res.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Start run' }).click();
  const response = await created;
  expect(response.status()).toBe(201);
  return Run.parse(await response.json());
}
