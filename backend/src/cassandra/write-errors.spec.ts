import { errors, types } from 'cassandra-driver';
import { isPermanentWriteError, writeErrorKind } from './write-errors.js';

const response = (code: number) => new errors.ResponseError(code, 'server said no');

/** An error as Node's own realm creates it: not an instance of this context's RangeError. */
function foreignRangeError(): Error {
  const error = Object.create(Error.prototype) as Error & { code: string };
  error.name = 'RangeError';
  error.message = 'The value of "value" is out of range. It must be >= -2147483648 and <= 2147483647.';
  error.code = 'ERR_OUT_OF_RANGE';
  return error;
}

describe('isPermanentWriteError', () => {
  it.each([
    ['unavailable', response(types.responseErrorCodes.unavailableException)],
    ['overloaded', response(types.responseErrorCodes.overloaded)],
    ['write timeout', response(types.responseErrorCodes.writeTimeout)],
    ['bootstrapping', response(types.responseErrorCodes.isBootstrapping)],
    ['a server error', response(types.responseErrorCodes.serverError)],
    ['no host', new errors.NoHostAvailableError({})],
    ['client timeout', new errors.OperationTimedOutError('timed out')],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a socket closed with writes in flight', new errors.DriverInternalError('Socket was closed')],
    ['an error nobody listed', new Error('something went wrong')],
  ])('retries %s', (_, error) => {
    expect(isPermanentWriteError(error)).toBe(false);
  });

  it.each([
    ['an invalid request (an index refusing a term)', response(types.responseErrorCodes.invalid)],
    ['a syntax error', response(types.responseErrorCodes.syntaxError)],
    ['an unauthorized write', response(types.responseErrorCodes.unauthorized)],
    ['a value the driver cannot encode', new TypeError("Expected Number, obtained 'abc'")],
    ['a range error', new RangeError('The value of "value" is out of range.')],
    ['a range error from another realm', foreignRangeError()],
    ['an argument the driver refuses', new errors.ArgumentError('bad argument')],
  ])('does not retry %s', (_, error) => {
    expect(isPermanentWriteError(error)).toBe(true);
  });
});

describe('writeErrorKind', () => {
  it.each([
    ['writeTimeout', response(types.responseErrorCodes.writeTimeout)],
    ['unavailableException', response(types.responseErrorCodes.unavailableException)],
    ['invalid', response(types.responseErrorCodes.invalid)],
    ['NoHostAvailableError', new errors.NoHostAvailableError({})],
    ['OperationTimedOutError', new errors.OperationTimedOutError('timed out')],
    ['ArgumentError', new errors.ArgumentError('bad')],
    ['encoding', foreignRangeError()],
    ['other', new Error('read ECONNRESET')],
    ['other', 'not even an error'],
  ])('names the family %s', (kind, error) => {
    expect(writeErrorKind(error)).toBe(kind);
  });
});
