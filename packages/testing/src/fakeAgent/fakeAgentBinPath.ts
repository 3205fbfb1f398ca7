import path from 'node:path';
import moduleDir from './moduleDir.cjs';

// Two levels below the package in the sources (src/fakeAgent), three in a build (dist/esm/fakeAgent).
const twoUp = path.resolve(moduleDir, '..', '..');
const packageRoot = path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;

/**
 * The path of the `copilot-rx-fake-agent` bin, to pass as `cliPath`:
 * `new CopilotRxClient({ cliPath: fakeAgentBinPath })`.
 */
export const fakeAgentBinPath: string = path.join(packageRoot, 'bin', 'copilot-rx-fake-agent.js');
