import { Injectable } from '@nestjs/common';
import { TopicException, TopicExceptionCode } from '#src/kafka/index.js';

/** Each browse, search or export is a consumer joining a group of its own: a handful at once per process. */
const MAX_CONCURRENT_READS = 4;

/** The process's budget of concurrent message reads, shared by browsing, search and export. */
@Injectable()
export class BrowseSlots {
  private inUse = 0;

  /** Takes a slot (429 TOO_MANY_BROWSES when none is free); call the answer to give it back, once. */
  acquire(): () => void {
    if (this.inUse >= MAX_CONCURRENT_READS) {
      throw new TopicException(
        TopicExceptionCode.TOO_MANY_BROWSES,
        `${MAX_CONCURRENT_READS} message reads are running; retry in a few seconds`,
      );
    }
    this.inUse++;
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.inUse--;
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
