import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError, TimeoutError } from '@nats-io/transport-node';
import { isTooLargeForBroker, MAX_UTF8_BYTES_PER_UNIT, utf8Bytes } from './messageSize';

const apiError = (err_code: number, description: string) => new JetStreamApiError({ code: 400, err_code, description });

describe('isTooLargeForBroker', () => {
  it('knows the client refusing a payload over the server’s max_payload', () => {
    expect(isTooLargeForBroker(InvalidArgumentError.format('payload', 'max_payload size exceeded'))).toBe(true);
  });

  it('knows JetStream refusing a message past the stream’s max message size, its headers or its store', () => {
    expect(isTooLargeForBroker(apiError(10054, 'message size exceeds maximum allowed'))).toBe(true);
    expect(isTooLargeForBroker(apiError(10097, 'header size exceeds maximum allowed of 64k'))).toBe(true);
    expect(isTooLargeForBroker(apiError(10077, 'message too large'))).toBe(true);
  });

  it('leaves every other failure to be retried', () => {
    expect(isTooLargeForBroker(apiError(10077, 'maximum bytes exceeded'))).toBe(false);
    expect(isTooLargeForBroker(apiError(10059, 'stream not found'))).toBe(false);
    expect(isTooLargeForBroker(InvalidArgumentError.format('subject', 'contains wildcards'))).toBe(false);
    expect(isTooLargeForBroker(new TimeoutError())).toBe(false);
    expect(isTooLargeForBroker(new Error('message size exceeds maximum allowed'))).toBe(false);
    expect(isTooLargeForBroker(undefined)).toBe(false);
  });
});

describe('utf8Bytes', () => {
  it('counts bytes, never more than 3 a UTF-16 unit (pairs and lone surrogates included)', () => {
    for (const text of ['ascii', 'é', '€', '😀', '\ud800', 'a€😀\udfff']) {
      expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
      expect(utf8Bytes(text)).toBeLessThanOrEqual(text.length * MAX_UTF8_BYTES_PER_UNIT);
    }
  });
});
