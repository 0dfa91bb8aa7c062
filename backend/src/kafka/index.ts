// What the kafka feature offers the others; the rest of the folder is its own.
export * from './consumer-groups.repository.js';
export * from './kafka-admin.repository.js';
export * from './kafka-producer.service.js';
export * from './kafka-wire.js';
export * from './kafka.client.js';
export * from './lag.js';
export * from './restarting-consumer.js';
export * from './topic-messages.repository.js';
export * from './topic.exception.js';
