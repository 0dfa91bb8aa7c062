import { HttpException, HttpStatus } from '@nestjs/common';

export enum TopicExceptionCode {
  INVALID_TOPIC_NAME = 'INVALID_TOPIC_NAME',
  INVALID_GROUP_ID = 'INVALID_GROUP_ID',
  INVALID_PARTITIONS = 'INVALID_PARTITIONS',
  UNKNOWN_PARTITION = 'UNKNOWN_PARTITION',
  INVALID_REPLICATION_FACTOR = 'INVALID_REPLICATION_FACTOR',
  INVALID_CONFIG = 'INVALID_CONFIG',
  INVALID_REQUEST = 'INVALID_REQUEST',
  POLICY_VIOLATION = 'POLICY_VIOLATION',
  OFFSET_OUT_OF_RANGE = 'OFFSET_OUT_OF_RANGE',
  INVALID_CURSOR = 'INVALID_CURSOR',
  TOPIC_NOT_FOUND = 'TOPIC_NOT_FOUND',
  GROUP_NOT_FOUND = 'GROUP_NOT_FOUND',
  TOPIC_EXISTS = 'TOPIC_EXISTS',
  TOPIC_NAME_COLLISION = 'TOPIC_NAME_COLLISION',
  TOPIC_PROTECTED = 'TOPIC_PROTECTED',
  TOPIC_DELETION_DISABLED = 'TOPIC_DELETION_DISABLED',
  GROUP_NOT_EMPTY = 'GROUP_NOT_EMPTY',
  MESSAGE_TOO_LARGE = 'MESSAGE_TOO_LARGE',
  TOO_MANY_BROWSES = 'TOO_MANY_BROWSES',
  KAFKA_FORBIDDEN = 'KAFKA_FORBIDDEN',
  KAFKA_UNAVAILABLE = 'KAFKA_UNAVAILABLE',
  KAFKA_ERROR = 'KAFKA_ERROR',
}

/** The one mapping of topic errors to HTTP statuses; a Record, so a new code cannot be left unmapped. */
export const TOPIC_EXCEPTION_STATUS: Record<TopicExceptionCode, HttpStatus> = {
  [TopicExceptionCode.INVALID_TOPIC_NAME]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_GROUP_ID]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_PARTITIONS]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.UNKNOWN_PARTITION]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_REPLICATION_FACTOR]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_CONFIG]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.POLICY_VIOLATION]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.OFFSET_OUT_OF_RANGE]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
  [TopicExceptionCode.TOPIC_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [TopicExceptionCode.GROUP_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [TopicExceptionCode.TOPIC_EXISTS]: HttpStatus.CONFLICT,
  [TopicExceptionCode.TOPIC_NAME_COLLISION]: HttpStatus.CONFLICT,
  // a rule of this API, not a state that could change by retrying: forbidden rather than conflict
  [TopicExceptionCode.TOPIC_PROTECTED]: HttpStatus.FORBIDDEN,
  [TopicExceptionCode.TOPIC_DELETION_DISABLED]: HttpStatus.CONFLICT,
  // members are reading: they would overwrite a reset at their next commit, so Kafka refuses it too
  [TopicExceptionCode.GROUP_NOT_EMPTY]: HttpStatus.CONFLICT,
  [TopicExceptionCode.MESSAGE_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [TopicExceptionCode.TOO_MANY_BROWSES]: HttpStatus.TOO_MANY_REQUESTS,
  [TopicExceptionCode.KAFKA_FORBIDDEN]: HttpStatus.FORBIDDEN,
  [TopicExceptionCode.KAFKA_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [TopicExceptionCode.KAFKA_ERROR]: HttpStatus.BAD_GATEWAY,
};

/**
 * A topic-admin error with a stable code. An HttpException, so the application's one filter renders it as
 * `{ statusCode, code, message, details }` wherever it is thrown.
 */
export class TopicException extends HttpException {
  constructor(
    readonly code: TopicExceptionCode,
    message: string,
    details?: unknown,
  ) {
    super({ code, message, ...(details === undefined ? {} : { details }) }, TOPIC_EXCEPTION_STATUS[code]);
  }
}

/** Broker error types (kafkajs `error.type`) that a client caused, with the code and wording they get. */
const BROKER_ERRORS: Record<string, [TopicExceptionCode, string]> = {
  UNKNOWN_TOPIC_OR_PARTITION: [TopicExceptionCode.TOPIC_NOT_FOUND, 'topic or partition not found'],
  TOPIC_ALREADY_EXISTS: [TopicExceptionCode.TOPIC_EXISTS, 'topic already exists'],
  INVALID_TOPIC_EXCEPTION: [TopicExceptionCode.INVALID_TOPIC_NAME, 'Kafka refused the topic name'],
  INVALID_PARTITIONS: [TopicExceptionCode.INVALID_PARTITIONS, 'invalid number of partitions'],
  INVALID_REPLICATION_FACTOR: [
    TopicExceptionCode.INVALID_REPLICATION_FACTOR,
    'replication factor is below 1 or larger than the number of available brokers',
  ],
  INVALID_REPLICA_ASSIGNMENT: [TopicExceptionCode.INVALID_REPLICATION_FACTOR, 'invalid replica assignment'],
  INVALID_CONFIG: [TopicExceptionCode.INVALID_CONFIG, 'Kafka refused a setting'],
  INVALID_REQUEST: [TopicExceptionCode.INVALID_REQUEST, 'Kafka refused the request as invalid'],
  POLICY_VIOLATION: [TopicExceptionCode.POLICY_VIOLATION, "the request violates the cluster's topic policy"],
  TOPIC_DELETION_DISABLED: [
    TopicExceptionCode.TOPIC_DELETION_DISABLED,
    'topic deletion is disabled on this cluster (delete.topic.enable=false)',
  ],
  MESSAGE_TOO_LARGE: [
    TopicExceptionCode.MESSAGE_TOO_LARGE,
    "the message is larger than the topic's max.message.bytes",
  ],
  RECORD_LIST_TOO_LARGE: [TopicExceptionCode.MESSAGE_TOO_LARGE, 'the message batch is too large'],
  INVALID_RECORD: [TopicExceptionCode.INVALID_REQUEST, 'the broker refused the record'],
  GROUP_ID_NOT_FOUND: [TopicExceptionCode.GROUP_NOT_FOUND, 'consumer group not found'],
  INVALID_GROUP_ID: [TopicExceptionCode.INVALID_GROUP_ID, 'invalid consumer group id'],
  TOPIC_AUTHORIZATION_FAILED: [TopicExceptionCode.KAFKA_FORBIDDEN, 'Kafka denied access to the topic'],
  GROUP_AUTHORIZATION_FAILED: [TopicExceptionCode.KAFKA_FORBIDDEN, 'Kafka denied access to the group'],
  CLUSTER_AUTHORIZATION_FAILED: [TopicExceptionCode.KAFKA_FORBIDDEN, 'Kafka denied the cluster action'],
};

/** Transient broker states: retrying later may work. */
const UNAVAILABLE_TYPES = new Set([
  'NOT_CONTROLLER',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR',
  'REQUEST_TIMED_OUT',
  'BROKER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'THROTTLING_QUOTA_EXCEEDED',
]);
const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

interface KafkaErrorShape {
  name?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The innermost kafkajs error: retries wrap the cause, topic creation aggregates one error per topic. */
function innermost(error: unknown, depth = 0): KafkaErrorShape {
  if (typeof error !== 'object' || error === null || depth > 5) {
    return {};
  }
  const shape = error as KafkaErrorShape;
  if (typeof shape.type === 'string') {
    return shape;
  }
  if (Array.isArray(shape.errors) && shape.errors.length > 0) {
    return innermost(shape.errors[0], depth + 1);
  }
  if (shape.cause !== undefined && shape.cause !== error) {
    const inner = innermost(shape.cause, depth + 1);
    if (inner.type !== undefined || inner.name !== undefined) {
      return inner;
    }
  }
  return shape;
}

/**
 * The one translation of kafkajs errors into topic errors. A TopicException passes through; a broker error
 * a client caused becomes a 4xx with a clear message; an unreachable cluster a 503; any other broker error
 * a 502 naming its type. Errors that are not Kafka's (programming errors) are returned unchanged.
 */
export function toTopicException(error: unknown, subject?: string): unknown {
  if (error instanceof TopicException) {
    return error;
  }
  const inner = innermost(error);
  const type = typeof inner.type === 'string' ? inner.type : undefined;
  const name = typeof inner.name === 'string' ? inner.name : undefined;
  const about = subject === undefined ? '' : `${subject}: `;
  if (type !== undefined) {
    const known = BROKER_ERRORS[type];
    if (known) {
      return new TopicException(known[0], `${about}${known[1]}`, { kafkaError: type });
    }
    if (UNAVAILABLE_TYPES.has(type)) {
      return new TopicException(
        TopicExceptionCode.KAFKA_UNAVAILABLE,
        `${about}Kafka is not ready (${type})`,
        {
          kafkaError: type,
        },
      );
    }
    return new TopicException(TopicExceptionCode.KAFKA_ERROR, `${about}Kafka answered ${type}`, {
      kafkaError: type,
    });
  }
  const outerName = (error as KafkaErrorShape | null)?.name;
  if ((name && UNAVAILABLE_NAMES.has(name)) || outerName === 'KafkaJSNumberOfRetriesExceeded') {
    return new TopicException(TopicExceptionCode.KAFKA_UNAVAILABLE, `${about}Kafka is unreachable`);
  }
  return error;
}
