import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ThrottledLog } from './throttled-log.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ThrottledLog', () => {
  it('logs the first occurrence at once, then one line per interval with how often it repeated', async () => {
    const { logger, lines } = capture();
    const log = new ThrottledLog(logger, 100);
    for (let index = 0; index < 500; index += 1) log.warn('503:refused', { reason: 'connect ECONNREFUSED' }, 'requests answered 503');
    await tick();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'requests answered 503', reason: 'connect ECONNREFUSED' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 40, repeated: 499 });
    // After a quiet interval, a new burst starts with a line of its own at once.
    await new Promise((resolve) => setTimeout(resolve, 150));
    log.warn('503:refused', { reason: 'connect ECONNREFUSED' }, 'requests answered 503');
    await tick();
    expect(lines).toHaveLength(3);
  });

  it('keeps different keys apart, and writes what is pending on flush', async () => {
    const { logger, lines } = capture();
    const log = new ThrottledLog(logger, 60_000);
    log.warn('a', {}, 'first kind');
    log.warn('a', {}, 'first kind');
    log.warn('b', {}, 'second kind');
    log.flush();
    await tick();
    expect(lines.map((line) => [line.msg, line.repeated])).toEqual([
      ['first kind', undefined],
      ['second kind', undefined],
      ['first kind (repeated)', 1],
    ]);
  });

  it('logs a background failure of an outage without a stack, and any other failure with it', async () => {
    const { logger, lines } = capture();
    const log = new ThrottledLog(logger, 60_000);
    log.failure(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'deadline watcher failed');
    log.failure(new TypeError('x is not a function'), 'deadline watcher failed');
    await tick();
    expect(lines[0]).toMatchObject({ level: 40, msg: 'deadline watcher failed: the database is unavailable', error: '57P01 terminating connection due to administrator command' });
    expect(JSON.stringify(lines[0])).not.toContain('stack');
    expect(lines[1]).toMatchObject({ level: 50, msg: 'deadline watcher failed', err: { type: 'TypeError', stack: expect.stringContaining('TypeError') } });
  });
});
