import { Injectable } from '@nestjs/common';
import type { RunParams } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { RandomUserSource } from './randomuser.source.js';
import { SyntheticSource } from './synthetic/synthetic.source.js';
import type { UserSource } from './user-source.js';

@Injectable()
export class SourceFactory {
  constructor(private readonly config: AppConfig) {}

  create(params: RunParams, onRetry?: (reason: string) => void): UserSource {
    switch (params.source) {
      case 'randomuser':
        return new RandomUserSource({
          baseUrl: this.config.ingestion.randomUserBaseUrl,
          seed: params.seed,
          nationalities: params.nationalities,
          include: params.include,
          exclude: params.exclude,
          onRetry: (info) => onRetry?.(`retry ${info.attempt} in ${info.delayMs} ms: ${info.reason}`),
        });
      case 'synthetic':
        return new SyntheticSource({
          seed: params.seed ?? 'userstream',
          nationalities: params.nationalities,
        });
    }
  }
}
