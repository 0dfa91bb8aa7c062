import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default () =>
  rmSync(fileURLToPath(new URL('./output/results.jsonl', import.meta.url)), { force: true });
