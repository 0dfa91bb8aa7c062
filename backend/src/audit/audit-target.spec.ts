import { auditTarget, storable } from './audit-target.js';

describe('auditTarget', () => {
  it('keeps path parameters, the query and the body', () => {
    expect(
      auditTarget({ params: { id: 'r1' }, query: { force: 'true' }, body: { source: 'synthetic', rate: 5 } }),
    ).toEqual({ params: { id: 'r1' }, query: { force: 'true' }, body: { source: 'synthetic', rate: 5 } });
    expect(auditTarget({ params: {}, query: {}, body: undefined })).toBeNull();
  });

  it('redacts secret-looking keys at any depth', () => {
    const target = auditTarget({
      query: { access_token: 'us_q' },
      body: { name: 'ci', token: 'us_b', nested: { password: 'p', apiKey: 'k', ok: 1 } },
    });
    expect(JSON.stringify(target)).not.toMatch(/us_q|us_b|"p"|"k"/);
    expect(target).toEqual({
      query: { access_token: '[redacted]' },
      body: {
        name: 'ci',
        token: '[redacted]',
        nested: { password: '[redacted]', apiKey: '[redacted]', ok: 1 },
      },
    });
  });

  it('bounds what it keeps: long strings, deep objects, big arrays, many keys', () => {
    const body = {
      text: 'x'.repeat(500),
      deep: { a: { b: { c: 1 } } },
      list: Array.from({ length: 50 }, (_, i) => i),
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])),
    };
    const summary = auditTarget({ body })?.['body'] as Record<string, unknown>;
    expect(summary['text']).toHaveLength(121);
    expect(summary['deep']).toEqual({ a: '{…}' });
    expect(summary['list']).toBe('[50 items]');
    expect(Object.keys(summary)).toHaveLength(21);
    expect(JSON.stringify(summary).length).toBeLessThan(1_000);
  });

  it('keeps only what PostgreSQL can store: no NUL, no lone surrogate halves', () => {
    expect(storable('a\u0000b\uD800c\uDFFFd 😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd 😀');
    expect(JSON.stringify(auditTarget({ query: { ['k\u0000']: 'v\uDC00' } }))).toBe('{"query":{"k�":"v�"}}');
  });

  it('keeps personal values out: a search by email, a produced user', () => {
    const target = auditTarget({
      query: { unmasked: 'true', email: 'ada@example.com', country: 'France' },
      body: { value: { email: 'ada@example.com', phone: '+44 1', name: { first: 'Ada' } } },
    });
    expect(JSON.stringify(target)).not.toMatch(/ada@example|\+44/);
    expect(target).toEqual({
      query: { unmasked: 'true', email: '[redacted]', country: 'France' },
      body: { value: { email: '[redacted]', phone: '[redacted]', name: '{…}' } },
    });
  });
});
