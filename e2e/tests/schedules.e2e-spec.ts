import { type APIRequestContext, expect, test } from '@playwright/test';
import { Run, Schedule, ScheduleList } from '@userstream/contracts';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';

/** A GET on the API; the idle keep-alive socket the backend may have closed meanwhile is not reused. */
const apiGet = async (request: APIRequestContext, path: string): Promise<unknown> =>
  (await request.get(`${backendUrl}${path}`, { headers: { connection: 'close' } })).json();

test('a schedule: create, preview its next five firings, edit, run now, the run and its events, re-run', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const name = `e2e airflow ${Date.now()}`;
  await page.goto('/runs');
  await page.getByTestId('new-schedule').click();
  const form = page.getByRole('form', { name: 'Create a schedule' });
  await form.getByLabel('Name').fill(name);
  // Mondays at 09:00 in Kolkata (UTC+05:30 all year): 03:30 UTC
  await form.getByLabel('Cron').fill('0 9 * * 1');
  await form.getByLabel('Time zone').fill('Asia/Kolkata');
  await form.getByLabel('Missed firings').selectOption('latest');
  await form.getByLabel('Rate (users/s)').fill('1000');
  await form.getByLabel('Batch size').fill('50');
  await form.getByLabel('Limit (users)').fill('200');
  await form.getByRole('button', { name: 'Create schedule' }).click();

  const row = page.getByTestId('schedule-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('missed firings: run once for the latest');
  const list = ScheduleList.parse(await apiGet(request, '/api/ingestion/schedules'));
  const schedule = Schedule.parse(list.items.find((item) => item.name === name));
  expect(schedule).toMatchObject({ catchUp: 'latest', timezone: 'Asia/Kolkata' });

  try {
    // the next five firings, in the schedule's time zone
    await row.getByTestId('schedule-show-firings').click();
    const firings = row.getByTestId('schedule-firing');
    await expect(firings).toHaveCount(5);
    const at = async () =>
      Promise.all((await firings.all()).map(async (firing) => (await firing.getAttribute('data-at')) ?? ''));
    const first = await at();
    for (const [i, iso] of first.entries()) {
      expect(iso).toMatch(/T03:30:00\.000Z$/);
      expect(new Date(iso).getUTCDay()).toBe(1);
      if (i > 0) {
        expect(new Date(iso).getTime() - new Date(first[i - 1]!).getTime()).toBe(7 * 86_400_000);
      }
    }
    await expect(firings.first()).toContainText('Asia/Kolkata');

    // edit: half an hour later; the preview follows
    await row.getByTestId('schedule-edit').click();
    const edit = row.getByRole('form', { name: `Edit ${name}` });
    await expect(edit.getByLabel('Cron')).toHaveValue('0 9 * * 1');
    await expect(edit.getByLabel('Missed firings')).toHaveValue('latest');
    await edit.getByLabel('Cron').fill('30 9 * * 1');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit).toHaveCount(0);
    await expect(row).toContainText('30 9 * * 1');
    await expect(firings.first()).toHaveAttribute('data-at', /T04:00:00\.000Z$/);
    await page.screenshot({ path: `${shots}/schedules-firings.png`, fullPage: true });

    // run now, then open the run
    await row.getByRole('button', { name: `Run ${name} now` }).click();
    const started = row.getByTestId('schedule-started-run');
    await expect(started).toBeVisible();
    await started.click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    const runId = page.url().split('/').at(-1)!;
    const run = Run.parse(await apiGet(request, `/api/ingestion/runs/${runId}`));
    expect(run.scheduleId).toBe(schedule.id);

    // its events: started first, source pages, completed last
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'completed', {
      timeout: 150_000,
    });
    const events = page.getByTestId('run-event');
    await expect(events.first()).toHaveAttribute('data-kind', 'started');
    await expect(events.first()).toContainText(`started by hand from schedule "${name}"`);
    await expect(events.last()).toHaveAttribute('data-kind', 'completed');
    await expect(page.locator('[data-testid="run-event"][data-kind="page"]')).toHaveCount(4);
    await page.screenshot({ path: `${shots}/run-events.png`, fullPage: true });

    // re-run it: a new run, same parameters and seed
    await page.getByTestId('rerun').click();
    await expect(page).not.toHaveURL(new RegExp(runId));
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    const rerunId = page.url().split('/').at(-1)!;
    const rerun = Run.parse(await apiGet(request, `/api/ingestion/runs/${rerunId}`));
    expect(rerun.params).toEqual(run.params);
    await expect(page.getByText(`seed ${run.params.seed}`)).toBeVisible();
    await expect(page.getByTestId('run-event').first()).toContainText(`re-run of run ${runId}`);
  } finally {
    await request.delete(`${backendUrl}/api/ingestion/schedules/${schedule.id}`, {
      headers: { connection: 'close' },
    });
  }
});
