// Big-endian readers and writers shared by the Kafka, CQL and PostgreSQL codecs.

export class Reader {
  constructor(buffer, offset = 0) {
    this.buffer = buffer;
    this.offset = offset;
  }

  #take(size) {
    if (this.offset + size > this.buffer.length) {
      throw new Error(
        `truncated message: need ${size} bytes at offset ${this.offset} of ${this.buffer.length}`,
      );
    }
    const start = this.offset;
    this.offset += size;
    return start;
  }

  int8() {
    return this.buffer.readInt8(this.#take(1));
  }
  int16() {
    return this.buffer.readInt16BE(this.#take(2));
  }
  uint16() {
    return this.buffer.readUInt16BE(this.#take(2));
  }
  int32() {
    return this.buffer.readInt32BE(this.#take(4));
  }
  bytes(size) {
    const start = this.#take(size);
    return this.buffer.subarray(start, start + size);
  }
  /** int16 length + UTF-8; a negative length is null (Kafka nullable string). */
  string16() {
    const length = this.int16();
    return length < 0 ? null : this.bytes(length).toString('utf8');
  }
  /** NUL-terminated UTF-8 (PostgreSQL). */
  cstring() {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0) throw new Error('unterminated string');
    const text = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return text;
  }
  remaining() {
    return this.buffer.length - this.offset;
  }
}

export function int8(value) {
  const b = Buffer.alloc(1);
  b.writeInt8(value);
  return b;
}
export function int16(value) {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}
export function int32(value) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}
/** int16 length + UTF-8 bytes. */
export function string16(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
}
/** int32 length + UTF-8 bytes. */
export function string32(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([int32(bytes.length), bytes]);
}
export function cstring(text) {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}
