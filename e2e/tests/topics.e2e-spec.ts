import { expect, type Page, test } from '@playwright/test';
import { KafkaTopics } from '@userstream/contracts';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const shots = 'output/screenshots';

test.describe.configure({ mode: 'serial' });

const topicRow = (page: Page, name: string) =>
  page.locator(`[data-testid="topic-row"][data-topic="${name}"]`);

async function search(page: Page, name: string) {
  await page.getByTestId('topic-search').fill(name);
  await expect(page).toHaveURL(new RegExp(`[?&]search=${name.replaceAll('.', '\\.')}(&|$)`));
  await expect(topicRow(page, name)).toBeVisible();
}

test('a topic is created, found, filled with a test message, browsed and deleted from the dashboard', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const name = `e2e-topic-${Math.random().toString(36).slice(2, 10)}`;

  await page.goto('/topics');
  await page.getByTestId('new-topic').click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Partitions', { exact: true }).fill('2');
  await page.getByLabel('Replication factor').fill('1');
  const created = page.waitForResponse(
    (res) => res.url().endsWith('/api/topics') && res.request().method() === 'POST',
  );
  await page.getByTestId('create-topic').click();
  expect((await created).status()).toBe(201);
  await expect(page.getByRole('status').filter({ hasText: `Created ${name}` })).toBeVisible();

  await search(page, name);
  await expect(page.getByTestId('topic-row')).toHaveCount(1);
  await expect(topicRow(page, name)).toContainText('≈ 0');
  await page.screenshot({ path: `${shots}/topics.png`, fullPage: true });

  await topicRow(page, name).getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/topics/${name}$`));
  await expect(page.getByTestId('topic-detail')).toHaveAttribute('data-topic', name);
  await expect(page.getByTestId('partition-row')).toHaveCount(2);
  await expect(page.getByTestId('messages').getByText('No messages here')).toBeVisible();
  await page.screenshot({ path: `${shots}/topic-detail.png`, fullPage: true });

  // an invalid value is caught before sending
  const produceForm = page.getByTestId('produce-form');
  await produceForm.getByLabel('Value (JSON)').fill('{ not json');
  await page.getByTestId('produce-message').click();
  await expect(page.getByTestId('error-produce-value')).toHaveText(/valid JSON/);

  await produceForm.getByLabel('Key').fill('e2e-key');
  await produceForm.getByLabel('Value (JSON)').fill('{"hello":"e2e","nested":{"n":1}}');
  const produced = page.waitForResponse(
    (res) => res.url().endsWith(`/api/topics/${name}/messages`) && res.request().method() === 'POST',
  );
  await page.getByTestId('produce-message').click();
  expect((await produced).status()).toBe(201);
  await expect(page.getByTestId('produced')).toContainText('at offset 0');

  // the browser re-reads after producing: newest first, the value decoded and pretty-printed
  const message = page.getByTestId('messages').getByTestId('message');
  await expect(message).toHaveCount(1);
  await expect(message.getByTestId('message-key')).toHaveText('e2e-key');
  await expect(message.getByTestId('message-value')).toContainText('"hello": "e2e"');
  await expect(message.getByTestId('message-value')).toContainText('"n": 1');

  // reading from an offset of one partition finds the same message
  const browse = page.getByTestId('browse-form');
  await browse.getByLabel('Partition').selectOption(await message.getAttribute('data-partition'));
  await browse.getByLabel('Read').selectOption('offset');
  await browse.getByLabel('Offset').fill('0');
  await page.getByTestId('browse').click();
  await expect(page.getByTestId('browse-status')).toContainText('1 message');
  await expect(message).toHaveAttribute('data-offset', '0');
  await page.getByTestId('messages').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/topic-messages.png`, fullPage: true });

  await page.goto(`/topics?search=${name}`);
  await topicRow(page, name).getByTestId('delete-topic').click();
  const dialog = page.getByTestId('delete-topic-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('confirm-delete')).toBeDisabled();
  // Escape closes it, nothing deleted
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(topicRow(page, name)).toBeVisible();

  await topicRow(page, name).getByTestId('delete-topic').click();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  const deleted = page.waitForResponse(
    (res) => res.url().includes(`/api/topics/${name}`) && res.request().method() === 'DELETE',
  );
  await dialog.getByTestId('confirm-delete').click();
  expect((await deleted).status()).toBe(204);
  await expect(dialog).toBeHidden();
  await expect(topicRow(page, name)).toHaveCount(0);
  await expect(page.getByText(`No topic matches "${name}"`)).toBeVisible();

  // Kafka deletes asynchronously: the topic is gone for the API within seconds
  await expect
    .poll(async () => (await request.get(`${backendUrl}/api/topics/${name}`)).status(), { timeout: 15_000 })
    .toBe(404);
});

test('an invalid topic name shows a field error and sends no request', async ({ page }) => {
  let posts = 0;
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/topics') {
      posts++;
    }
  });
  await page.goto('/topics');
  await page.getByTestId('new-topic').click();
  const nameInput = page.getByLabel('Name', { exact: true });

  await nameInput.fill('bad/name');
  await page.getByTestId('create-topic').click();
  await expect(page.getByTestId('error-topic-name')).toHaveText('only letters, digits, ".", "_" and "-"');
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');

  await nameInput.fill('..');
  await page.getByLabel('Partitions', { exact: true }).fill('0');
  await page.getByTestId('create-topic').press('Enter');
  await expect(page.getByTestId('error-topic-name')).toHaveText('cannot be "." or ".."');
  await expect(page.getByTestId('error-topic-partitions')).toHaveText('Must be at least 1');

  // give a stray request time to show up
  await page.waitForTimeout(1_000);
  expect(posts).toBe(0);
});

test('deleting a pipeline topic is refused with the API’s reason', async ({ page, request }) => {
  const name = KafkaTopics.rawUsers;
  await page.goto('/topics');
  await search(page, name);
  await expect(topicRow(page, name)).toContainText('pipeline');
  await topicRow(page, name).getByTestId('delete-topic').click();
  const dialog = page.getByTestId('delete-topic-dialog');
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  const refused = page.waitForResponse(
    (res) => res.url().includes(`/api/topics/${name}`) && res.request().method() === 'DELETE',
  );
  await dialog.getByTestId('confirm-delete').click();
  expect((await refused).status()).toBe(403);
  await expect(dialog.getByRole('alert')).toContainText("one of the pipeline's topics");
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await request.get(`${backendUrl}/api/topics/${name}`)).status()).toBe(200);
});

test('the Topics pages fit a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/topics?search=${KafkaTopics.rawUsers}`);
  await expect(topicRow(page, KafkaTopics.rawUsers)).toBeVisible();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.goto(`/topics/${KafkaTopics.rawUsers}`);
  await expect(page.getByTestId('topic-detail')).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
});
