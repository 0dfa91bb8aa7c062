import type { PipeTransform } from '@nestjs/common';
import { GroupId, TopicName } from '@userstream/contracts';
import type { z } from 'zod';
import { TopicException, TopicExceptionCode } from '#src/kafka/index.js';

function parse(schema: z.ZodType<string>, value: unknown, code: TopicExceptionCode, what: string): string {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  // the value itself is not echoed: it may be long or hostile; the reasons are enough
  throw new TopicException(
    code,
    `invalid ${what}`,
    result.error.issues.map((issue) => ({ field: what, message: issue.message })),
  );
}

/** A topic name from the path (decoded, so `a%2Fb` arrives as `a/b`): Kafka's rules, else a 400. */
export class TopicNamePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parse(TopicName, value, TopicExceptionCode.INVALID_TOPIC_NAME, 'topic name');
  }
}

export class GroupIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parse(GroupId, value, TopicExceptionCode.INVALID_GROUP_ID, 'group id');
  }
}
