import { DEFAULT_STREAM_LIMITS, fleetStreamConfig, largestFleetMessage } from './streamConfig';

describe('largestFleetMessage', () => {
  it('is the smaller of the stream’s max message size and the server’s max_payload', () => {
    expect(largestFleetMessage(1024 ** 2, 1024 ** 2)).toBe(1024 ** 2);
    expect(largestFleetMessage(64 * 1024, 1024 ** 2)).toBe(64 * 1024);
    expect(largestFleetMessage(8 * 1024 ** 2, 1024 ** 2)).toBe(1024 ** 2);
  });

  it('takes the server’s max_payload for a stream without a limit of its own (-1), and the default when neither says', () => {
    expect(largestFleetMessage(-1, 512 * 1024)).toBe(512 * 1024);
    expect(largestFleetMessage(undefined, undefined)).toBe(DEFAULT_STREAM_LIMITS.maxMsgSize);
  });

  it('follows the stream config the fleet creates', () => {
    expect(largestFleetMessage(fleetStreamConfig({ maxMsgSize: 256 * 1024 }).max_msg_size, 1024 ** 2)).toBe(256 * 1024);
  });
});
