/**
 * The files of a small app that uses the three packages as a user installs them: the same program as
 * an ES module, as CommonJS and as TypeScript (ES module and CommonJS flavours), each printing one line
 * of JSON with the answer it streamed from the fake agent and the file its `@copilot-rx/core` resolved
 * to. Kept apart from the spec so the programs read as what a user would write.
 */

/** Three chunks of the prompt's words, numbered: `derivedAnswerChunks(PROMPT, 3)`. */
export const PROMPT = 'Hello packaged world [[chunks 3]]';

const esm = `
import { CopilotRxClient } from '@copilot-rx/core';
import { ofType } from '@copilot-rx/operators';
import { fakeAgentBinPath } from '@copilot-rx/testing';
import { lastValueFrom, map, toArray } from 'rxjs';

const client = new CopilotRxClient({ cliPath: fakeAgentBinPath, logLevel: 'error' });
await client.start();
try {
  const session = await client.createSession();
  const deltas = await lastValueFrom(
    session.send(${JSON.stringify(PROMPT)}).pipe(ofType('assistant.message_delta'), map((event) => event.data.deltaContent), toArray()),
  );
  await session.destroy();
  console.log(JSON.stringify({ entry: import.meta.resolve('@copilot-rx/core'), text: deltas.join('') }));
} finally {
  await client.stop();
}
`;

const cjs = `
const { ofType } = require('@copilot-rx/operators');
// Operators need nothing of core at run time: loading them alone must not load it.
const operatorsLoadedCore = Object.keys(require.cache).some((file) => file.includes('@copilot-rx/core'));
const { CopilotRxClient } = require('@copilot-rx/core');
const { fakeAgentBinPath } = require('@copilot-rx/testing');
const { lastValueFrom, map, toArray } = require('rxjs');

async function main() {
  const client = new CopilotRxClient({ cliPath: fakeAgentBinPath, logLevel: 'error' });
  await client.start();
  try {
    const session = await client.createSession();
    const deltas = await lastValueFrom(
      session.send(${JSON.stringify(PROMPT)}).pipe(ofType('assistant.message_delta'), map((event) => event.data.deltaContent), toArray()),
    );
    await session.destroy();
    console.log(JSON.stringify({ entry: require.resolve('@copilot-rx/core'), text: deltas.join(''), operatorsLoadedCore }));
  } finally {
    await client.stop();
  }
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const typed = `
import { CopilotRxClient, type CopilotRxClientOptions, type SessionEvent } from '@copilot-rx/core';
import { ofType } from '@copilot-rx/operators';
import { fakeAgentBinPath } from '@copilot-rx/testing';
import { lastValueFrom, map, type Observable, toArray } from 'rxjs';

const options: CopilotRxClientOptions = { cliPath: fakeAgentBinPath, logLevel: 'error' };
const client = new CopilotRxClient(options);
await client.start();
try {
  const session = await client.createSession();
  // @ts-expect-error: internal to core, so not in the published declarations
  void session.deliver;
  const events: Observable<SessionEvent> = session.send(${JSON.stringify(PROMPT)});
  const deltas: string[] = await lastValueFrom(
    events.pipe(ofType('assistant.message_delta'), map((event) => event.data.deltaContent), toArray()),
  );
  await session.destroy();
  console.log(JSON.stringify({ entry: import.meta.resolve('@copilot-rx/core'), text: deltas.join('') }));
} finally {
  await client.stop();
}
`;

// Compiled only: the CommonJS flavour of the declarations must type-check too.
const typedCjs = `
import { CopilotRxClient, type SessionEvent } from '@copilot-rx/core';
import { tcpTransport } from '@copilot-rx/core/transport';
import { toAsyncIterable } from '@copilot-rx/core/interop';
import { countTokens, ofType } from '@copilot-rx/operators';
import { fakeAgentBinPath } from '@copilot-rx/testing';
import type { Observable } from 'rxjs';

export function counted(events: Observable<SessionEvent>) {
  return events.pipe(ofType('assistant.message_delta', 'assistant.message'), countTokens({ throttleMs: 100 }));
}
export const made = [CopilotRxClient, tcpTransport, toAsyncIterable, fakeAgentBinPath] as const;
`;

/**
 * The app's files by name. `dependencies` go into its package.json as they are (tarballs, links);
 * `typeRoots` is where `@types/node` is installed (the repository's).
 */
export function consumerFiles(dependencies: Readonly<Record<string, string>>, typeRoots: string): Record<string, string> {
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmitOnError: true,
      outDir: 'out',
      types: ['node'],
      typeRoots: [typeRoots],
    },
    files: ['typed.ts', 'typedCjs.cts'],
  };
  return {
    'package.json': JSON.stringify({ name: 'copilot-rx-consumer', private: true, type: 'module', dependencies }, null, 2),
    'esm.mjs': esm,
    'cjs.cjs': cjs,
    'typed.ts': typed,
    'typedCjs.cts': typedCjs,
    'tsconfig.json': JSON.stringify(tsconfig, null, 2),
  };
}
