// Recipe 4, tools: a client tool whose arguments are validated by an io-ts codec, a permission
// handler that approves that tool and nothing else, and the tool's timeline as the turn runs.
//
// The CLI asks before running any tool (permission.requested); copilot-rx denies unless the handler
// approves. Arguments that fail the codec never reach the handler: the model gets a failed result
// naming the bad field. toolCalls() folds the tool events into one state per call.
import * as t from 'io-ts';
import { lastValueFrom, tap } from 'rxjs';
import { defineTool, type PermissionHandler } from '@copilot-rx/core';
import { toolCalls } from '@copilot-rx/operators';
import { runRecipe } from './backend.js';

const getWeather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  args: t.type({ city: t.string }),
  handler: async ({ city }) => `It is 21°C and sunny in ${city}.`,
});

// Approve exactly our tool; everything else (shell, file writes, other tools) is refused.
const onlyOurTool: PermissionHandler = ({ permissionRequest: asked }) => {
  // permissionRequest is a union on `kind` (shell, write, url, mcp, custom-tool...): narrow, then compare.
  const ours = asked.kind === 'custom-tool' && asked.toolName === getWeather.name;
  console.log(`permission: ${asked.kind} ${asked.kind === 'custom-tool' ? asked.toolName : ''} -> ${ours ? 'approved' : 'denied'}`);
  return ours ? { kind: 'approve-once' } : { kind: 'reject', feedback: 'Only get_weather may run here.' };
};

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const session = await client.createSession(sessionConfig({ tools: [getWeather], onPermissionRequest: onlyOurTool }));
  const timeline = session.events$
    .pipe(toolCalls())
    .subscribe((call) => console.log(`tool: ${call.toolName}(${JSON.stringify(call.arguments)}) ${call.status}${call.durationMs === undefined ? '' : ` in ${call.durationMs} ms`}`));

  let answer = '';
  await lastValueFrom(
    session
      .send(prompt('What is the weather in Paris?', '[[tool get_weather {"city":"Paris"}]] [[pace 20]]'))
      .pipe(tap((event) => event.type === 'assistant.message_delta' && (answer += event.data.deltaContent))),
  );
  console.log(`answer: ${answer}`);
  timeline.unsubscribe();
  await session.destroy();
});
