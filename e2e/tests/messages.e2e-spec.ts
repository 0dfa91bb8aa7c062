import { readFile } from 'node:fs/promises';
import { expect, type APIRequestContext, test } from '@playwright/test';
import { KafkaTopics } from '@userstream/contracts';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';
const COUNTRIES = ['France', 'Spain', 'Chile'];

test.describe.configure({ mode: 'serial' });

// The topics made here are left in place: deleting a topic the backend's producer wrote to makes kafkajs fail
// that producer's later sends (its metadata keeps asking for the deleted topic), which would break later specs.

async function createTopic(request: APIRequestContext, name: string) {
  const created = await request.post(`${backendUrl}/api/topics`, {
    data: { name, partitions: 2, replicationFactor: 1 },
  });
  expect(created.status()).toBe(201);
}

/** Retried while the new topic is not yet in the producer's metadata (404 for a moment on a loaded broker). */
async function produce(request: APIRequestContext, name: string, key: string, value: unknown) {
  await expect(async () => {
    const res = await request.post(`${backendUrl}/api/topics/${name}/messages`, { data: { key, value } });
    expect(res.status()).toBe(201);
  }).toPass({ timeout: 30_000 });
}

test('messages are searched with a budget, continued, restored from the URL and exported', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const name = `e2e-search-${Math.random().toString(36).slice(2, 10)}`;
  await createTopic(request, name);
  for (let i = 0; i < 12; i++) {
    await produce(request, name, `user-${i}`, {
      name: `person ${i}`,
      email: `person${i}@example.com`,
      location: { country: COUNTRIES[i % 3], note: 'a, "quoted" note' },
    });
  }

  await page.goto(`/topics/${name}`);
  await page.getByTestId('messages-tab-search').click();
  await expect(page).toHaveURL(/[?&]view=search/);
  await expect(page.getByText('Search this topic')).toBeVisible();

  const form = page.getByTestId('search-form');
  await form.getByLabel('JSON field').fill('location.country');
  await form.getByLabel('equals').fill('France');
  await form.getByLabel('Scan budget').fill('5');
  await page.getByTestId('search').click();
  await expect(page).toHaveURL(/field=location\.country/);
  await expect(page).toHaveURL(/budget=5/);
  await expect(page.getByTestId('search-summary')).toContainText('scanned 5 / 5');
  await expect(page.getByTestId('partition-progress')).toHaveCount(2);

  // continue until everything is scanned: each France message once
  const seen = new Set<string>();
  // busy from the click until the answer is shown: rows read before that would be the last call's again
  const results = page.locator('[aria-busy]').filter({ has: page.getByTestId('search-summary') });
  for (let call = 0; call < 10; call++) {
    await expect(page.getByTestId('search-summary')).toBeVisible();
    for (const row of await page.getByTestId('search-result').all()) {
      const at = `${await row.getAttribute('data-partition')}:${await row.getAttribute('data-offset')}`;
      expect(seen.has(at)).toBe(false);
      seen.add(at);
    }
    const next = page.getByTestId('search-continue');
    if ((await next.textContent())?.startsWith('Done')) {
      break;
    }
    const answered = page.waitForResponse((res) => res.url().includes('/messages/search?'));
    await next.click();
    expect((await answered).status()).toBe(200);
    await expect(page).toHaveURL(/cursor=/);
    await expect(results).toHaveAttribute('aria-busy', 'false');
  }
  expect(seen.size).toBe(4);
  await expect(page.getByTestId('search-continue')).toHaveText('Done: nothing left to scan');

  // a reload restores the search from the URL (the same page of it)
  const before = await page.getByTestId('search-summary').textContent();
  await page.reload();
  await expect(page.getByTestId('search-form').getByLabel('JSON field')).toHaveValue('location.country');
  await expect(page.getByTestId('search-summary')).toHaveText(before ?? '');

  // a fresh search for everything French, expanded, masked
  await page.getByTestId('search-form').getByLabel('Scan budget').fill('1000');
  await page.getByTestId('search').click();
  await expect(page.getByTestId('search-summary')).toContainText('4 matches');
  await page.getByTestId('search-result').first().click();
  await expect(page.getByTestId('search-result-detail')).toContainText('"country": "France"');
  await expect(page.getByTestId('search-result-detail')).toContainText('"email": "***"');
  await page.screenshot({ path: `${shots}/messages-search.png`, fullPage: true });

  const jsonl = page.waitForEvent('download');
  await page.getByTestId('export-jsonl').click();
  const jsonlFile = await jsonl;
  expect(jsonlFile.suggestedFilename()).toBe(`${name}-messages.jsonl`);
  const lines = (await readFile(await jsonlFile.path(), 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(4);
  expect(
    lines.map(
      (line) =>
        (JSON.parse(line) as { value: { data: { location: { country: string } } } }).value.data.location
          .country,
    ),
  ).toEqual(['France', 'France', 'France', 'France']);

  const csv = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csvFile = await csv;
  expect(csvFile.suggestedFilename()).toBe(`${name}-messages.csv`);
  const rows = (await readFile(await csvFile.path(), 'utf8')).split('\r\n').filter(Boolean);
  expect(rows[0]).toBe('partition,offset,timestamp,key,headers,value');
  expect(rows).toHaveLength(5);
  expect(rows[1]).toContain('""note"":""a, \\""quoted\\"" note""');
  await page.screenshot({ path: `${shots}/messages-export.png`, fullPage: true });

  // a bad filter is named before anything is sent
  await page.getByTestId('search-form').getByLabel('JSON field').fill('');
  await page.getByTestId('search').click();
  await expect(page.getByText('give both field and fieldValue')).toBeVisible();
});

test('the browse form is kept in the URL', async ({ page, request }) => {
  const name = `e2e-browse-${Math.random().toString(36).slice(2, 10)}`;
  await createTopic(request, name);
  await produce(request, name, 'only', { hello: 'url' });
  await page.goto(`/topics/${name}`);
  const browse = page.getByTestId('browse-form');
  await browse.getByLabel('Read').selectOption('oldest');
  await browse.getByLabel('Count').fill('7');
  await page.getByTestId('browse').click();
  await expect(page).toHaveURL(/bMode=oldest/);
  await expect(page).toHaveURL(/bLimit=7/);
  await page.reload();
  await expect(page.getByTestId('browse-form').getByLabel('Read')).toHaveValue('oldest');
  await expect(page.getByTestId('browse-form').getByLabel('Count')).toHaveValue('7');
  await expect(page.getByTestId('messages').getByTestId('message')).toHaveCount(1);
});

test('the live tail starts on the dead-letter topic and follows any topic, with pause and resume', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const name = `e2e-tail-${Math.random().toString(36).slice(2, 10)}`;
  await createTopic(request, name);

  await page.goto('/tail');
  const picker = page.getByLabel('Topic', { exact: true });
  // the dead-letter topic (under whatever prefix) is the default and first
  await expect(picker).toHaveValue(new RegExp(`${KafkaTopics.deadLetters.replaceAll('.', '\\.')}$`));
  await expect(picker.locator('option').first()).toContainText('(dead letters)');
  await expect(page.getByTestId('tail')).toHaveAttribute('data-state', 'tailing');

  await picker.selectOption(name);
  await expect(page).toHaveURL(new RegExp(`topic=${name}`));
  await expect(page.getByTestId('tail')).toHaveAttribute('data-state', 'tailing');
  await expect(page.getByText('Nothing new yet')).toBeVisible();

  await produce(request, name, 'tailed-1', { email: 'someone@example.com', n: 1 });
  await expect(page.getByTestId('tail-message')).toHaveCount(1);
  await expect(page.getByTestId('tail-message-key')).toContainText('tailed-1');
  await expect(page.getByTestId('tail-message')).toContainText('"email":"***"');
  await expect(page.getByTestId('tail-message')).not.toContainText('someone@');

  await page.getByTestId('tail-pause').click();
  await produce(request, name, 'tailed-2', { n: 2 });
  await expect(page.getByTestId('tail-pause')).toHaveText('Resume (1 new)');
  await expect(page.getByTestId('tail-message')).toHaveCount(1);
  await page.screenshot({ path: `${shots}/messages-tail.png`, fullPage: true });
  await page.getByTestId('tail-pause').click();
  await expect(page.getByTestId('tail-message')).toHaveCount(2);
  await expect(page.getByTestId('tail-message').first()).toContainText('tailed-2');
});
