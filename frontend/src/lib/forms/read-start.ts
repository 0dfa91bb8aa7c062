/** Where the message browser and the message search start reading a topic. */
export type ReadStart = 'newest' | 'oldest' | 'offset' | 'timestamp';

/** From an offset or a time: towards newer (`forward`) or older (`newest`) records. */
export type ReadOrder = 'forward' | 'newest';

export const ORDER_OPTIONS: readonly { value: ReadOrder; label: string }[] = [
  { value: 'forward', label: 'oldest first' },
  { value: 'newest', label: 'newest first' },
];

export interface ReadStartFields {
  /** Blank: every partition. */
  partition: string;
  offset: string;
  /** As a `datetime-local` input gives it: local time without a zone. */
  time: string;
  order: ReadOrder;
}

/**
 * The messages routes' position parameters (`direction`, and `offset` or `timestamp`) for a start, or the field
 * at fault: an offset only means something within one partition.
 */
export function readStartParams(
  start: ReadStart,
  fields: ReadStartFields,
): { ok: true; params: Record<string, string> } | { ok: false; field: keyof ReadStartFields; error: string } {
  switch (start) {
    case 'newest':
      return { ok: true, params: { direction: 'newest' } };
    case 'oldest':
      return { ok: true, params: { direction: 'forward' } };
    case 'offset': {
      if (fields.partition === '') {
        return { ok: false, field: 'partition', error: 'An offset needs a partition' };
      }
      const offset = fields.offset.trim();
      return offset
        ? { ok: true, params: { offset, direction: fields.order } }
        : { ok: false, field: 'offset', error: 'Required' };
    }
    case 'timestamp': {
      const at = new Date(fields.time);
      return fields.time && !Number.isNaN(at.getTime())
        ? { ok: true, params: { timestamp: at.toISOString(), direction: fields.order } }
        : { ok: false, field: 'time', error: 'Pick a date and time' };
    }
  }
}
