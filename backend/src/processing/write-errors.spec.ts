import { errors, types } from 'cassandra-driver';
import { isTransientWriteError } from './write-errors.js';

const response = (code: number) => new errors.ResponseError(code, 'server said no');

describe('isTransientWriteError', () => {
  it.each([
    ['unavailable', response(types.responseErrorCodes.unavailableException)],
    ['overloaded', response(types.responseErrorCodes.overloaded)],
    ['write timeout', response(types.responseErrorCodes.writeTimeout)],
    ['bootstrapping', response(types.responseErrorCodes.isBootstrapping)],
    ['no host', new errors.NoHostAvailableError({})],
    ['client timeout', new errors.OperationTimedOutError('timed out')],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('retries %s', (_, error) => {
    expect(isTransientWriteError(error)).toBe(true);
  });

  it.each([
    ['an invalid request (an index refusing a term)', response(types.responseErrorCodes.invalid)],
    ['a server error', response(types.responseErrorCodes.serverError)],
    ['a value the driver cannot encode', new TypeError('Integer 4294967296 out of range')],
    ['a range error', new RangeError('The value of "value" is out of range.')],
  ])('does not retry %s', (_, error) => {
    expect(isTransientWriteError(error)).toBe(false);
  });
});
