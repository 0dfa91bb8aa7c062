import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp, createProcessor } from './bootstrap.js';
import type { AppConfig } from './config/app-config.js';
import { loadConfig } from './config/config.module.js';
import { startTracing } from './tracing/tracing.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  // a bad variable stops boot with the list of what is wrong
  console.error((error as Error).message);
  process.exit(1);
}

// before the app, so spans of its first requests and batches are exported (a no-op unless the endpoint is set)
await startTracing(config);

if (config.role === 'processor') {
  const processor = await createProcessor(config);
  await processor.listen();
  processor.get(Logger).log('userstream processor consuming raw users');
} else {
  const app = await createApp(config);
  // module init (topic creation) before the processor subscribes, so a fresh cluster works at first start
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  app
    .get(Logger)
    .log(
      `userstream ${config.role} on http://${config.http.host}:${config.http.port}/api (docs at /api/docs)`,
    );
}
