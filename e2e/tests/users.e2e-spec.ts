import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import {
  LINEAGE_STAGES,
  Run,
  type RunParams,
  type StoredUser,
  UserDetail,
  UserLineage,
  UserPage,
} from '@userstream/contracts';
import { openLive, startFromForm } from './live-page.js';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';
/** More than one page of the Users table (50 rows), so "Load more" has something to load. */
const RUN_USERS = 60;

test.describe.configure({ mode: 'serial' });

const initials = (user: StoredUser) =>
  [user.firstName, user.lastName]
    .map((part) => Array.from(part.trim())[0] ?? '')
    .join('')
    .toUpperCase();

async function startRun(api: APIRequestContext, params: RunParams): Promise<Run> {
  const res = await api.post(`${backendUrl}/api/ingestion/runs`, { data: params });
  expect(res.status()).toBe(201);
  return Run.parse(await res.json());
}

/** Waits until the run has completed and all its users can be read back, and returns them. */
async function storedUsersOf(api: APIRequestContext, run: Run, expected: number): Promise<StoredUser[]> {
  let users: StoredUser[] = [];
  await expect
    .poll(
      async () => {
        const state = Run.parse(
          await (await api.get(`${backendUrl}/api/ingestion/runs/${run.id}`)).json(),
        ).state;
        const res = await api.get(`${backendUrl}/api/users?runId=${run.id}&limit=200`);
        users = UserPage.parse(await res.json()).items;
        return `${state}, ${users.length} users`;
      },
      { timeout: 90_000, intervals: [500, 1_000] },
    )
    .toBe(`completed, ${expected} users`);
  return users;
}

/** Counts the searches (`GET /api/users`, not its stats or single-user routes) a page sends. */
function countSearches(page: Page): URL[] {
  const searches: URL[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/users') {
      searches.push(url);
    }
  });
  return searches;
}

let run: Run;
let users: StoredUser[];
let user: StoredUser;

// The users searched here are those of a run started from the Live page, as a user would.
test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
  const api = await playwright.request.newContext();
  try {
    await openLive(page);
    run = await startFromForm(page, { rate: '300', batch: '20', limit: String(RUN_USERS) });
    users = await storedUsersOf(api, run, RUN_USERS);
    const picked = users.find((candidate) => candidate.country && candidate.email && candidate.city);
    if (!picked) {
      throw new Error('no stored user of the run has a country, an email and a city');
    }
    user = picked;
    // search and its counts trail the stored rows by the search indexer's lag (README, "Users search")
    await expect
      .poll(
        async () => {
          const query = new URLSearchParams({
            lastName: user.lastName,
            country: user.country!,
            limit: '200',
          });
          const res = await api.get(`${backendUrl}/api/users?${query}`);
          return UserPage.parse(await res.json()).items.some((item) => item.id === user.id);
        },
        { timeout: 90_000, intervals: [500, 1_000] },
      )
      .toBe(true);
  } finally {
    await api.dispose();
    await page.close();
  }
});

test('searching by last name and country finds the user; the drawer shows it and its lineage', async ({
  page,
  request,
}) => {
  const lineage = UserLineage.parse(
    await (await request.get(`${backendUrl}/api/users/${user.id}/lineage`)).json(),
  );
  expect(lineage.kafka).not.toBeNull();

  await page.goto('/users');
  await page.getByLabel('Last name').fill(user.lastName);
  await page.getByLabel('Country', { exact: true }).fill(user.country!);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/[?&]lastName=/);
  await expect(page).toHaveURL(/[?&]country=/);

  const row = page.locator(`[data-testid="user-row"][data-user-id="${user.id}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`${user.firstName} ${user.lastName}`);
  // personal data comes masked, even to the local admin (AUTH_MODE=none), until asked for below
  expect(user.email).toMatch(/^.\*\*\*@/);
  await expect(row).toContainText(user.email!);
  // every row matches both filters (whole values, case and accents ignored: the API's job)
  for (const text of await page.getByTestId('user-row').allInnerTexts()) {
    expect(text.toLowerCase()).toContain(user.country!.toLowerCase());
  }
  // the picture cannot load offline: initials stand in for it
  await expect(row.locator('[data-avatar="initials"]')).toHaveText(initials(user));
  await expect(page.getByTestId('users-total')).not.toHaveText('0');
  await page.screenshot({ path: `${shots}/users.png`, fullPage: true });

  // the search is in the URL: a reload repeats it and fills the form
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByLabel('Last name')).toHaveValue(user.lastName);

  await row.click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toBeVisible();
  await expect(drawer).toHaveAttribute('aria-modal', 'true');
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(drawer.getByRole('heading', { level: 2 })).toContainText(`${user.firstName} ${user.lastName}`);
  const field = (name: string) => drawer.locator(`[data-field="${name}"]`);
  await expect(field('email')).toHaveText(user.email!);
  await expect(field('city')).toHaveText(user.city!);
  await expect(field('country')).toHaveText(user.country!);
  await expect(field('id')).toHaveText(user.id);
  await expect(field('source')).toHaveText('synthetic');
  if (user.latitude !== null) {
    await expect(field('coordinates')).toContainText(user.latitude.toFixed(4));
  }
  await expect(field('runId').getByRole('link')).toHaveAttribute('href', `/runs/${run.id}`);
  await expect(drawer.locator('[data-avatar="initials"]')).toHaveText(initials(user));
  await expect(drawer.getByTestId('avatar-image')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/users-drawer.png` });

  await drawer.getByRole('button', { name: 'Show lineage' }).click();
  const timeline = drawer.getByTestId('lineage');
  await expect(timeline).toBeVisible();
  for (const stage of LINEAGE_STAGES) {
    const item = timeline.getByTestId(`lineage-stage-${stage}`);
    await expect(item).toBeVisible();
    await expect(item.locator('time')).toHaveCount(1);
  }
  await expect(timeline.getByTestId('lineage-kafka')).toHaveText(
    `topic ${lineage.kafka!.topic} · partition ${lineage.kafka!.partition} · offset ${lineage.kafka!.offset}`,
  );
  await expect(timeline.getByRole('link', { name: run.id.slice(0, 8) })).toHaveAttribute(
    'href',
    `/runs/${run.id}`,
  );
  await expect(timeline.getByTestId('lineage-total')).toHaveText(/\d/);
  await timeline.getByTestId('lineage-stage-stored').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/users-lineage.png` });

  // Escape closes and gives focus back to the row; Enter on the row opens it again
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(row).toBeFocused();
  await row.press('Enter');
  await expect(drawer).toBeVisible();
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toBeHidden();

  // an admin (here the local one) may show personal data: the row and the drawer then hold it as stored
  const clear = UserDetail.parse(
    await (await request.get(`${backendUrl}/api/users/${user.id}?unmasked=true`)).json(),
  );
  expect(clear.masked).toBe(false);
  await page.getByLabel('Show personal data').check();
  await expect(row).toContainText(clear.email!);
  await row.click();
  await expect(field('email')).toHaveText(clear.email!);
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toBeHidden();
});

test('a ?runId= link lists the run, pages with the cursor, and Reset clears the search', async ({ page }) => {
  const searches = countSearches(page);
  await page.goto(`/users?runId=${run.id}`);
  await expect(page.getByLabel('Run id')).toHaveValue(run.id);
  const rows = page.getByTestId('user-row');
  await expect(rows).toHaveCount(50);
  await page.getByTestId('load-more').click();
  await expect(rows).toHaveCount(RUN_USERS);
  // the next page was asked for with the same filter and the cursor
  const more = searches.find((url) => url.searchParams.has('cursor'));
  expect(more?.searchParams.get('runId')).toBe(run.id);

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByLabel('Run id')).toHaveValue('');
});

test('invalid filters show field errors and send no request', async ({ page }) => {
  const searches = countSearches(page);
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Loading users' })).toHaveCount(0);
  const before = searches.length;
  expect(before).toBe(1);

  await page.getByLabel('Min age').fill('200');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('error-users-ageMin')).toHaveText('Must be at most 150');
  await expect(page.getByLabel('Min age')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Min age').fill('50');
  await page.getByLabel('Max age').fill('20');
  await page.getByRole('button', { name: 'Search' }).press('Enter');
  await expect(page.getByTestId('error-users-ageMin')).toHaveText('Min age must not be greater than max age');
  await page.getByLabel('Nationality').selectOption('DE');
  await page.getByLabel('Registered from').fill('2020-05-02');
  await page.getByLabel('Registered to').fill('2020-05-01');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('error-users-registeredFrom')).toHaveText(
    'Registered from must not be after registered to',
  );
  await page.screenshot({ path: `${shots}/users-invalid.png`, fullPage: true });
  // give a stray request time to show up
  await page.waitForTimeout(1_000);
  expect(searches.length).toBe(before);
  await expect(page).toHaveURL(/\/users$/);

  // an invalid link is not sent either: the form says why
  await page.goto('/users?ageMin=abc');
  await expect(page.getByTestId('error-users-ageMin')).toHaveText('Must be a whole number');
  await page.waitForTimeout(500);
  expect(searches.length).toBe(before);
});

test("the API's error message is shown when a search is refused", async ({ page }) => {
  // the form never sends what the API refuses, so the refusal is simulated
  await page.route('**/api/users?*', (route) =>
    route.fulfill({
      status: 400,
      json: {
        statusCode: 400,
        code: 'INVALID_CURSOR',
        message: 'the cursor does not belong to these filters',
        details: [{ field: 'cursor', message: 'not a cursor returned by this API' }],
      },
    }),
  );
  await page.goto(`/users?runId=${run.id}`);
  const alert = page.getByRole('alert').filter({ hasText: 'Search failed' });
  await expect(alert).toContainText('the cursor does not belong to these filters');
  await expect(alert).toContainText('not a cursor returned by this API');
});

test('the Users page works at phone width and in dark mode', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('theme', 'dark'));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/users?runId=${run.id}`);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  // the table scrolls inside its own region instead of widening the page
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${shots}/users-phone-dark.png`, fullPage: true });
  await page.getByTestId('user-row').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.screenshot({ path: `${shots}/users-drawer-phone-dark.png` });
});

test('a row of the Live table opens the same drawer', async ({ page, request }) => {
  test.setTimeout(90_000);
  await openLive(page);
  const live = await startRun(request, {
    source: 'synthetic',
    ratePerSecond: 20,
    batchSize: 5,
    durationSeconds: 30,
  });
  try {
    const row = page
      .getByTestId('live-row')
      .filter({ hasText: live.id.slice(0, 8) })
      .first();
    await expect(row).toBeVisible({ timeout: 20_000 });
    // freeze the table so the row stays where it is
    await page.getByTestId('pause-live').click();
    await expect(page.getByTestId('pause-live')).toHaveAttribute('aria-pressed', 'true');
    const name = await row.getByRole('cell').nth(1).innerText();

    await row.click();
    const drawer = page.getByRole('dialog');
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole('heading', { level: 2 })).toContainText(name);
    await expect(drawer.locator('[data-field="runId"]')).toHaveText(live.id);
    await page.screenshot({ path: `${shots}/live-drawer.png` });
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(row).toBeFocused();
    await row.press('Enter');
    await expect(drawer).toBeVisible();
  } finally {
    await request.post(`${backendUrl}/api/ingestion/runs/${live.id}/stop`);
  }
});
