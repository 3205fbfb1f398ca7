import path from 'node:path';

/**
 * The path of the `copilot-rx-fake-agent` bin, to pass as `cliPath`:
 * `new CopilotRxClient({ cliPath: fakeAgentBinPath })`. Same two levels up from src/ and dist/.
 */
export const fakeAgentBinPath: string = path.resolve(__dirname, '..', '..', 'bin', 'copilot-rx-fake-agent.js');
