import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { parseEnv } from './config.schema.js';

/** Reads the environment once at boot (the only reader of process.env); everything else injects AppConfig. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  return new AppConfig(parseEnv(raw));
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
