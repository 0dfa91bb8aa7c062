import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // node_modules is hoisted to the workspace root
  turbopack: { root: path.join(import.meta.dirname, '..') },
  poweredByHeader: false,
};

export default config;
