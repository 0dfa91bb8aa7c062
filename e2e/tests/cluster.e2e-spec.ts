import { expect, test } from '@playwright/test';
import { FINISHED_RUN_STATES, KafkaTopics, Run } from '@userstream/contracts';
import { Kafka, logLevel } from 'kafkajs';

const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The backend under test names its topics with this prefix (none on the test stack). */
const rawTopic = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${KafkaTopics.rawUsers}`;
const shots = 'output/screenshots';

/** What Kafka itself says: the brokers alive and the raw topic's partitions. */
async function kafkaFacts() {
  const admin = new Kafka({ clientId: 'e2e-cluster', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const { topics } = await admin.fetchTopicMetadata({ topics: [rawTopic] });
    const partitions = topics[0]!.partitions.map((entry) => entry.partitionId).sort((a, b) => a - b);
    return { brokerIds: cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b), partitions };
  } finally {
    await admin.disconnect();
  }
}

test('the cluster page lists every broker and Cassandra node up, in light and dark mode', async ({
  page,
}) => {
  const { brokerIds } = await kafkaFacts();
  await page.goto('/live');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster' }).click();
  await expect(page).toHaveURL(/\/cluster$/);

  const brokerRows = page.getByTestId('broker-row');
  await expect(brokerRows).toHaveCount(brokerIds.length);
  for (const id of brokerIds) {
    await expect(page.locator(`[data-testid="broker-row"][data-broker="${id}"]`)).toHaveAttribute(
      'data-state',
      'up',
    );
  }
  await expect(page.getByTestId('controller-badge')).toHaveCount(1);
  const nodeRows = page.getByTestId('node-row');
  await expect(nodeRows.first()).toBeVisible();
  for (const row of await nodeRows.all()) {
    await expect(row).toHaveAttribute('data-state', 'up');
    await expect(row.getByTestId('node-schema')).toHaveText(/^[0-9a-f]{8}$/);
  }
  await expect(page.getByTestId('cassandra-summary')).toContainText('schema in agreement');
  await expect(page.getByTestId('cluster-healthy')).toBeVisible();
  await expect(page.getByTestId('cluster-problems')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/cluster.png`, fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => localStorage.removeItem('theme'));
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(brokerRows).toHaveCount(brokerIds.length);
  await page.screenshot({ path: `${shots}/cluster-dark.png`, fullPage: true });
});

test('the live page shows which processor owns each raw partition, and a running run shows it too', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { partitions } = await kafkaFacts();
  const rawChips = page.locator(`[data-testid="processor-partition"][data-topic="${rawTopic}"]`);

  await page.goto('/live');
  const panel = page.getByTestId('processors-panel');
  await expect(panel.getByTestId('processor-row').first()).toBeVisible();
  // every raw partition is owned by exactly one processor
  await expect
    .poll(async () =>
      (await rawChips.evaluateAll((chips) => chips.map((chip) => Number(chip.dataset.partition)))).sort(
        (a, b) => a - b,
      ),
    )
    .toEqual(partitions);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/live-processors.png`, fullPage: true });

  // slow enough to still be running while its page is checked; stopped at the end
  const created = await request.post(`${backendUrl}/api/ingestion/runs`, {
    data: { source: 'synthetic', ratePerSecond: 20, batchSize: 10, maxRecords: 10_000 },
  });
  expect(created.status()).toBe(201);
  const run = Run.parse(await created.json());
  try {
    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId('processors-panel')).toBeVisible();
    await expect(page.getByTestId('processor-row').first()).toBeVisible();
    await expect(rawChips).toHaveCount(partitions.length);
    await page.screenshot({ path: `${shots}/run-processors.png`, fullPage: true });
  } finally {
    expect((await request.post(`${backendUrl}/api/ingestion/runs/${run.id}/stop`)).ok()).toBe(true);
  }
  await expect
    .poll(async () =>
      FINISHED_RUN_STATES.includes(
        Run.parse(await (await request.get(`${backendUrl}/api/ingestion/runs/${run.id}`)).json()).state,
      ),
    )
    .toBe(true);
  // the panel is for runs under way only
  await expect(page.getByTestId('processors-panel')).toHaveCount(0);
});
