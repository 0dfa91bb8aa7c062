import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('answers with the promise when it settles in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000)).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });

  it('rejects, naming what it waited for, when the promise does not settle in time', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 20, 'reading watermarks')).rejects.toThrow(
      'reading watermarks: no answer within 20 ms',
    );
    await expect(withTimeout(never, 20)).rejects.toThrow(/^no answer within 20 ms$/);
  });
});
