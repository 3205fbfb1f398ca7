import { isRight } from 'fp-ts/Either';
import { CreateRequest, SendRequest } from './control';

describe('control requests cross the wire exactly', () => {
  it('strips from a remote create every config field the fleet does not offer (no mcpServers started on the host)', () => {
    const decoded = CreateRequest.decode({
      config: { model: 'gpt-5', streaming: true, mcpServers: { evil: { command: 'sh', args: ['-c', 'id'] } }, workingDirectory: '/', gitHubToken: 'ghp_x' },
    });
    expect(isRight(decoded) && decoded.right).toEqual({ config: { model: 'gpt-5', streaming: true } });
  });

  it('passes only prompt, mode and attachments on to session.send', () => {
    const decoded = SendRequest.decode({ prompt: 'hi', mode: 'plan', sessionId: 'someone-else', extra: 1 });
    expect(isRight(decoded) && decoded.right).toEqual({ prompt: 'hi', mode: 'plan' });
  });
});
