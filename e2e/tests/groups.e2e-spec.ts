import { expect, test } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const shots = 'output/screenshots';

test('a consumer group is listed with its lag, previewed and reset to the latest offsets', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const suffix = Math.random().toString(36).slice(2, 10);
  const topic = `e2e-groups-${suffix}`;
  const groupId = `e2e-group-${suffix}`;
  const kafka = new Kafka({ clientId: 'e2e-groups', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })),
    });
    await producer.disconnect();
    // a reader that committed 1 record per partition, then left: the group is empty. The lag is read from the
    // log's ends, not assumed from the 10 sends: a send retried on a fresh topic may have landed twice
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [0, 1].map((partition) => ({ partition, offset: '1' })),
    });
    const ends = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
    const partitionLags = ends.map((end) => String(Number(end.high) - 1));
    const totalLag = String(ends.reduce((sum, end) => sum + Number(end.high) - 1, 0));

    await page.goto('/groups');
    await page.getByTestId('group-search').fill(groupId);
    const row = page.locator(`[data-testid="group-row"][data-group="${groupId}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId('group-state')).toHaveText('Empty');
    await expect(row.getByTestId('group-lag')).toHaveText(totalLag);
    await page.screenshot({ path: `${shots}/groups.png`, fullPage: true });

    await row.getByRole('link', { name: groupId }).click();
    await expect(page).toHaveURL(new RegExp(`/groups/${groupId}$`));
    await expect(page.getByTestId('total-lag')).toHaveText(totalLag);
    await expect(page.getByTestId('partition-lag')).toHaveText(partitionLags);

    await page.getByLabel('Reset to').selectOption('latest');
    await page.getByTestId('reset-preview').click();
    await expect(page.getByTestId('reset-result')).toContainText('Preview');
    await expect(page.getByTestId('reset-new-lag')).toHaveText('0');
    // a preview changes nothing
    await expect(page.getByTestId('total-lag')).toHaveText(totalLag);

    const reset = page.waitForResponse(
      (res) => res.url().endsWith('/offsets/reset') && res.request().postDataJSON()?.dryRun === false,
    );
    await page.getByTestId('reset-apply').click();
    expect((await reset).status()).toBe(200);
    await expect(page.getByTestId('reset-result')).toContainText('Reset done');
    await expect(page.getByTestId('total-lag')).toHaveText('0');
    await expect(page.getByTestId('partition-lag')).toHaveText(['0', '0']);
    await page.screenshot({ path: `${shots}/group-detail.png`, fullPage: true });
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
