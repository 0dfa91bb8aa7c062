import type { Kafka } from 'kafkajs';
import { DeadLetter } from '@userstream/contracts';
import { uniqueName } from './int-env.js';

/** A dead letter, or null for anything else an admin may have forced into the topic. */
function letterOf(value: Buffer | null): DeadLetter | null {
  try {
    const parsed = DeadLetter.safeParse(JSON.parse(String(value)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Reads the dead-letter topic from its beginning in a fresh group, keeping the letters `keep` accepts (records
 * that are not dead letters are skipped); `close()` leaves the group. Resolves once the reader runs.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  keep: (letter: DeadLetter) => boolean = () => true,
) {
  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('dead-letter-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const letter = letterOf(message.value);
        if (letter && keep(letter)) {
          letters.push(letter);
        }
        return Promise.resolve();
      },
    });
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return { letters, close: () => consumer.disconnect() };
}
