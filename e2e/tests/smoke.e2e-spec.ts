import { expect, test } from '@playwright/test';

test('dashboard shell shows every service healthy', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/live$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const link of ['Live', 'Runs', 'Topics', 'Users']) {
    await expect(page.getByRole('link', { name: link, exact: true })).toBeVisible();
  }
  for (const service of ['kafka', 'cassandra', 'postgres']) {
    await expect(page.getByTestId(`health-${service}`)).toHaveAttribute('data-status', 'up');
    await expect(page.getByTestId(`health-card-${service}`)).toContainText('up');
  }
  await page.screenshot({ path: 'output/screenshots/live.png', fullPage: true });
});

test('dark mode toggles and persists across reloads', async ({ page }) => {
  await page.goto('/live');
  const html = page.locator('html');
  const wasDark = (await html.getAttribute('class'))?.includes('dark') ?? false;
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
  await page.reload();
  await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
});
