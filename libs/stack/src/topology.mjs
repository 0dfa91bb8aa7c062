// How many nodes a stack instance runs: one Kafka broker and one Cassandra node (the default), or a cluster of
// N of each on this machine (`stack up --nodes N`): brokers on their own ports, Cassandra nodes on 127.0.0.N.
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.mjs';
import { paths } from './paths.mjs';

export const MAX_NODES = 5;

const file = () => path.join(paths.pids, 'topology.json');

/** The node count `up --nodes` last chose for this instance (1 when it never did). */
export function recordedNodes() {
  try {
    const { nodes } = JSON.parse(fs.readFileSync(file(), 'utf8'));
    return Number.isInteger(nodes) && nodes >= 1 && nodes <= MAX_NODES ? nodes : 1;
  } catch {
    return 1;
  }
}

export function recordNodes(nodes) {
  fs.mkdirSync(paths.pids, { recursive: true });
  fs.writeFileSync(file(), `${JSON.stringify({ nodes })}\n`);
}

/** `--nodes N` as given on the command line: a whole number from 1 to MAX_NODES. */
export function parseNodes(text) {
  const nodes = Number(text);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new StackError(`--nodes ${text}: a whole number from 1 to ${MAX_NODES}`);
  }
  return nodes;
}

/** Murmur3 tokens spread evenly over the ring, the first at 0 (a single node's token, as before). */
export function cassandraToken(node, nodes) {
  const span = 2n ** 64n;
  const token = (BigInt(node - 1) * span) / BigInt(nodes);
  return (token >= 2n ** 63n ? token - span : token).toString();
}
