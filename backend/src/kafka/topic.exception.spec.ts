import { HttpStatus } from '@nestjs/common';
import {
  TOPIC_EXCEPTION_STATUS,
  TopicException,
  TopicExceptionCode,
  toTopicException,
} from './topic.exception.js';

/** Shapes of kafkajs errors, as it throws them. */
const protocolError = (type: string) =>
  Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });
const aggregate = (...errors: Error[]) => Object.assign(new Error('Topic creation errors'), { errors });
const retriesExceeded = (cause: Error) =>
  Object.assign(new Error(cause.message), { name: 'KafkaJSNumberOfRetriesExceeded', cause });

const codeOf = (error: unknown) => (toTopicException(error, 'orders') as TopicException).code;

describe('toTopicException', () => {
  it.each([
    ['UNKNOWN_TOPIC_OR_PARTITION', TopicExceptionCode.TOPIC_NOT_FOUND, HttpStatus.NOT_FOUND],
    ['TOPIC_ALREADY_EXISTS', TopicExceptionCode.TOPIC_EXISTS, HttpStatus.CONFLICT],
    ['INVALID_PARTITIONS', TopicExceptionCode.INVALID_PARTITIONS, HttpStatus.BAD_REQUEST],
    ['INVALID_REPLICATION_FACTOR', TopicExceptionCode.INVALID_REPLICATION_FACTOR, HttpStatus.BAD_REQUEST],
    ['INVALID_CONFIG', TopicExceptionCode.INVALID_CONFIG, HttpStatus.BAD_REQUEST],
    ['POLICY_VIOLATION', TopicExceptionCode.POLICY_VIOLATION, HttpStatus.BAD_REQUEST],
    ['INVALID_TOPIC_EXCEPTION', TopicExceptionCode.INVALID_TOPIC_NAME, HttpStatus.BAD_REQUEST],
    ['MESSAGE_TOO_LARGE', TopicExceptionCode.MESSAGE_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE],
    ['GROUP_ID_NOT_FOUND', TopicExceptionCode.GROUP_NOT_FOUND, HttpStatus.NOT_FOUND],
  ])('maps %s to %s (%i)', (type, code, status) => {
    const mapped = toTopicException(protocolError(type), 'orders') as TopicException;
    expect(mapped).toBeInstanceOf(TopicException);
    expect(mapped.code).toBe(code);
    expect(mapped.getStatus()).toBe(status);
    expect(mapped.message).toMatch(/^orders: /);
  });

  it('finds the broker error inside aggregates and retry wrappers', () => {
    expect(codeOf(aggregate(protocolError('TOPIC_ALREADY_EXISTS')))).toBe(TopicExceptionCode.TOPIC_EXISTS);
    expect(codeOf(retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION')))).toBe(
      TopicExceptionCode.TOPIC_NOT_FOUND,
    );
  });

  it('makes an unreachable or busy cluster a 503 and an unexpected broker error a 502', () => {
    const refused = Object.assign(new Error('Connection error: ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
    });
    expect(codeOf(refused)).toBe(TopicExceptionCode.KAFKA_UNAVAILABLE);
    expect(codeOf(retriesExceeded(refused))).toBe(TopicExceptionCode.KAFKA_UNAVAILABLE);
    expect(codeOf(protocolError('NOT_CONTROLLER'))).toBe(TopicExceptionCode.KAFKA_UNAVAILABLE);
    expect(codeOf(protocolError('SOMETHING_NEW'))).toBe(TopicExceptionCode.KAFKA_ERROR);
  });

  it('passes topic errors through and leaves other errors alone', () => {
    const own = new TopicException(TopicExceptionCode.TOPIC_PROTECTED, 'no');
    expect(toTopicException(own)).toBe(own);
    const bug = new TypeError('x is undefined');
    expect(toTopicException(bug)).toBe(bug);
  });

  it('renders code, message and details in the response body', () => {
    const error = new TopicException(TopicExceptionCode.INVALID_PARTITIONS, 'only more', [
      { field: 'count' },
    ]);
    expect(error.getResponse()).toEqual({
      code: 'INVALID_PARTITIONS',
      message: 'only more',
      details: [{ field: 'count' }],
    });
    expect(
      Object.values(TopicExceptionCode).every((code) => Number(TOPIC_EXCEPTION_STATUS[code]) >= 400),
    ).toBe(true);
  });
});
