import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { DatabaseUnavailableError, describeDatabaseError, isDatabaseUnavailable, isUniqueViolation } from './postgres-errors.ts';

/** An error as pg reports a server's ErrorResponse: a message and a SQLSTATE. */
const serverError = (code: string, message = 'server error') => Object.assign(new Error(message), { code, severity: 'ERROR' });
/** An error as Node's net module reports a socket failure. */
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('isDatabaseUnavailable', () => {
  it('is true for the database going away, refusing, starting, recovering or timing out', () => {
    for (const code of ['57P01', '57P02', '57P03', '57014', '25P03', '25006', '08006', '08001', '08003', '53300', '53100']) {
      expect(isDatabaseUnavailable(serverError(code)), code).toBe(true);
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(isDatabaseUnavailable(socketError(code)), code).toBe(true);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'Cannot use a pool after calling end on the pool',
      'driver has already been destroyed',
      'PGlite is closed',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
    expect(isDatabaseUnavailable(new DatabaseUnavailableError('the database did not answer within 12000 ms'))).toBe(true);
  });

  it('looks through causes and through every address of an AggregateError', () => {
    expect(isDatabaseUnavailable(new Error('query failed', { cause: socketError('ECONNRESET') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], 'all addresses failed'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([socketError('ECONNREFUSED'), new TypeError('x is undefined')], 'mixed'))).toBe(false);
  });

  it('is false for errors of the request or of the code: those stay 4xx or 500', () => {
    for (const code of ['23505', '22P02', '42P01', '42703', '40001', '28P01', '3D000']) {
      expect(isDatabaseUnavailable(serverError(code)), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseUnavailable(new AppError('VALIDATION_FAILED', 'bad'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});

describe('describeDatabaseError', () => {
  it('gives the code and the message, without a stack', () => {
    expect(describeDatabaseError(serverError('57P01', 'terminating connection due to administrator command'))).toBe('57P01 terminating connection due to administrator command');
    expect(describeDatabaseError(new Error('Connection terminated unexpectedly'))).toBe('Connection terminated unexpectedly');
    expect(describeDatabaseError(socketError('ECONNREFUSED'))).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});

describe('isUniqueViolation', () => {
  it('names the table of the violated constraint', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "idempotency_key_pkey"'), { code: '23505', constraint: 'idempotency_key_pkey' });
    expect(isUniqueViolation(error, 'idempotency_key')).toBe(true);
    expect(isUniqueViolation(error, 'report')).toBe(false);
  });
});
