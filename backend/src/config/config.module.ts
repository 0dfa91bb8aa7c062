import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { parseEnv } from './config.schema.js';

/** Reads process.env once at boot; everything else injects AppConfig. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  return new AppConfig(parseEnv(raw));
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
