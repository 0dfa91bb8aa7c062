import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { KafkaTopics, type Me, RawUserHeaders } from '@userstream/contracts';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The backend under test names its topics with this prefix (none on the test stack). */
const rawTopic = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${KafkaTopics.rawUsers}`;
const shots = 'output/screenshots';

test.describe.configure({ mode: 'serial' });

const runId = randomUUID();
/** Opens a letter's original bytes (a reloaded list keeps a letter's details open). */
async function openBytes(letter: Locator) {
  const details = letter.locator('details').first();
  if ((await details.getAttribute('open')) === null) {
    await details.locator('summary').first().click();
  }
}
const groupRow = (page: Page, kind: string) =>
  page.locator(`[data-testid="group-row"][data-kind="${kind}"][data-run="${runId}"]`);

test.beforeAll(async () => {
  // records the processor cannot store, in a run of their own: two that are not JSON, one that is not UTF-8
  const kafka = new Kafka({ clientId: 'e2e-dead-letters', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const headers = { [RawUserHeaders.runId]: runId, [RawUserHeaders.source]: 'e2e' };
  await producer.send({
    topic: rawTopic,
    acks: -1,
    messages: [
      { key: `e2e-${runId}-0`, value: 'e2e poison 0', headers },
      { key: `e2e-${runId}-1`, value: 'e2e poison 1', headers },
      { key: `e2e-${runId}-2`, value: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), headers },
    ],
  });
  await producer.disconnect();
});

test('dead letters are grouped by reason and run, shown as sent, and redriven once each', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/dead-letters');
  // the summary is read again every 10 s: the letters appear once the processor and the index have them
  await expect(groupRow(page, 'not_json').getByTestId('group-count')).toHaveText('2', { timeout: 45_000 });
  await expect(groupRow(page, 'not_utf8').getByTestId('group-count')).toHaveText('1', { timeout: 45_000 });
  await expect(page.getByTestId('reason-bar').filter({ hasText: 'Not JSON' })).toBeVisible();
  await page.screenshot({ path: `${shots}/dead-letters.png`, fullPage: true });

  // drill into the run's not-JSON letters: the filter is in the URL
  await groupRow(page, 'not_json').getByRole('button', { name: 'Not JSON' }).click();
  await expect(page).toHaveURL(new RegExp(`reason=not_json.*runId=${runId}|runId=${runId}.*reason=not_json`));
  const letters = page.getByTestId('dead-letter');
  await expect(letters).toHaveCount(2);
  // masked by default: text that is not JSON is hidden, since its personal parts cannot be told apart
  await openBytes(letters.first());
  await expect(letters.first().getByTestId('original-hidden')).toBeVisible();

  // a click, not check(): the box follows the URL, which changes a moment later
  await page.getByTestId('show-unmasked').click();
  await expect(page).toHaveURL(/unmasked=true/);
  await openBytes(letters.first());
  await expect(letters.first().getByTestId('original-bytes')).toContainText(/e2e poison [01]/);
  await page.screenshot({ path: `${shots}/dead-letter-records.png`, fullPage: true });

  // redrive one selected letter: the dialog counts first, then produces it once
  await letters.first().getByTestId('dead-letter-select').check();
  await page.getByTestId('redrive-selected').click();
  const dialog = page.getByTestId('redrive-dialog');
  await expect(dialog.getByTestId('redrive-preview').getByTestId('redrive-count')).toHaveText('1');
  await page.screenshot({ path: `${shots}/dead-letter-redrive-dialog.png` });
  await dialog.getByTestId('redrive-confirm').click();
  await expect(dialog.getByTestId('redrive-result').getByTestId('redrive-count')).toHaveText('1');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('redrive-state')).toHaveText(['redriven']);
  await expect(page.getByTestId('redrive-row').first().getByTestId('redrive-produced')).toHaveText('1');

  // all of the reason in this run: the one already redriven is not produced again, nor is the letter it
  // became when it failed once more (redriving that unchanged would only go round again)
  await page.getByTestId('redrive-all').click();
  const preview = dialog.getByTestId('redrive-preview');
  await expect(preview.getByTestId('redrive-already')).toHaveText('1');
  await expect(preview.getByTestId('redrive-count')).toHaveText('1');
  await dialog.getByTestId('redrive-confirm').click();
  await expect(dialog.getByTestId('redrive-result').getByTestId('redrive-count')).toHaveText('1');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // a third time: nothing left to produce, so there is nothing to confirm
  await page.getByTestId('redrive-all').click();
  await expect(dialog.getByTestId('redrive-preview').getByTestId('redrive-count')).toHaveText('0');
  await expect(dialog.getByTestId('redrive-confirm')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // bytes that are not UTF-8 are shown in hex
  await groupRow(page, 'not_utf8').getByRole('button', { name: 'Not UTF-8' }).click();
  await expect(letters).toHaveCount(1);
  await openBytes(letters.first());
  await expect(letters.first().getByLabel('Original bytes in hex')).toContainText('7b 22 c3 28 22 7d');
});

test('the page works in dark mode, and redriving is explained, not offered, to a viewer', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.setItem('theme', 'dark'));
  // the role the dashboard is told it has; the backend refuses a viewer's redrive anyway (integration test)
  const viewer: Me = { name: 'e2e-viewer', role: 'viewer', mode: 'token' };
  await page.route('**/api/auth/me', (route) => route.fulfill({ json: viewer }));
  await page.goto(`/dead-letters?reason=not_json&runId=${runId}`);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(page.getByTestId('dead-letter').first()).toBeVisible();
  await expect(page.getByTestId('redrive-admin-only')).toBeVisible();
  await expect(page.getByTestId('redrive-all')).toBeDisabled();
  await expect(page.getByTestId('dead-letter-select').first()).toBeDisabled();
  await expect(page.getByTestId('show-unmasked')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/dead-letters-dark-viewer.png`, fullPage: true });
});
