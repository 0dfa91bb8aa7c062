import { expect, type Locator, test } from '@playwright/test';
import { FINISHED_RUN_STATES, Run, RunCurve } from '@userstream/contracts';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Points at a chart's plot, `at` of the way across, and returns its tooltip. */
async function pointAt(chart: Locator, at: number): Promise<Locator> {
  const plot = chart.getByTestId(/-plot$/);
  const box = (await plot.boundingBox())!;
  await plot.hover({ position: { x: box.width * at, y: box.height / 2 } });
  return chart.getByRole('tooltip');
}

test("a finished run's page draws its kept curve, with the values under the pointer", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const created = await request.post(`${backendUrl}/api/ingestion/runs`, {
    data: { source: 'synthetic', ratePerSecond: 500, batchSize: 50, maxRecords: 2_000 },
  });
  expect(created.status()).toBe(201);
  const run = Run.parse(await created.json());
  let done: Run | undefined;
  await expect
    .poll(
      async () => {
        done = Run.parse(await (await request.get(`${backendUrl}/api/ingestion/runs/${run.id}`)).json());
        return FINISHED_RUN_STATES.includes(done.state) && done.counters.processed >= 2_000;
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  // the backend samples a run's counters every second: its curve ends with the final ones
  await expect
    .poll(
      async () => {
        const res = await request.get(`${backendUrl}/api/ingestion/runs/${run.id}/curve`);
        return RunCurve.parse(await res.json()).points.at(-1)?.counters.stored;
      },
      { timeout: 20_000 },
    )
    .toBe(done!.counters.stored);

  await page.goto(`/runs/${run.id}`);
  const rates = page.getByTestId('run-rate-chart');
  await expect(rates).toBeVisible();
  const tooltip = await pointAt(rates, 0.4);
  await expect(tooltip).toContainText('produced/s');
  await expect(tooltip).toContainText('stored/s');
  await expect(tooltip).toContainText('stored so far');
  await page.screenshot({ path: `${shots}/run-curve.png`, fullPage: true });

  // from the keyboard: focusing the plot shows the last point, the run's final count
  await page.mouse.move(0, 0);
  await rates.getByTestId(/-plot$/).focus();
  await expect(rates.getByRole('tooltip')).toContainText(
    `stored so far${count.format(done!.counters.stored)}`,
  );

  const backlog = await pointAt(page.getByTestId('run-lag-chart'), 0.5);
  await expect(backlog).toContainText('backlog (records)');
  await expect(backlog).toContainText('time to drain');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => localStorage.removeItem('theme'));
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(await pointAt(page.getByTestId('run-rate-chart'), 0.6)).toBeVisible();
  await page.screenshot({ path: `${shots}/run-curve-dark.png`, fullPage: true });
});

test('the live history shows the values under the pointer, the lag in time and the latency', async ({
  page,
}) => {
  await page.goto('/live');
  const throughput = page.getByTestId('throughput-chart');
  await expect(throughput).toBeVisible();
  const tooltip = await pointAt(throughput, 0.9);
  await expect(tooltip).toContainText('produced/s');
  await expect(tooltip).toContainText('dead-lettered/s');
  const lag = await pointAt(page.getByTestId('lag-chart'), 0.9);
  await expect(lag).toContainText('lag (records)');
  await expect(lag).toContainText('time to drain');
  await expect(page.getByTestId('latency-chart')).toBeVisible();
  await page.screenshot({ path: `${shots}/live-history.png`, fullPage: true });

  for (const range of ['2h', '24h']) {
    await page.getByRole('button', { name: range, exact: true }).click();
    await expect(page.getByRole('button', { name: range, exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.getByTestId('throughput-chart')).toBeVisible();
    await expect(await pointAt(page.getByTestId('throughput-chart'), 0.5)).toContainText('stored/s');
  }
  await page.screenshot({ path: `${shots}/live-history-24h.png`, fullPage: true });
});
