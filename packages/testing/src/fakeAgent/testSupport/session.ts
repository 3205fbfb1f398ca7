import type { WireSessionEvent } from '../../marbles/eventStamper';
import type { FakeCopilotAgent } from '../FakeCopilotAgent';
import { RpcTestClient } from './RpcTestClient';

/** The weather tool the recorded transcripts declare. */
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** Connects a test client in memory, shakes hands and creates a session (streaming, permission requests on by default). */
export async function openSession(
  agent: FakeCopilotAgent,
  createParams: Record<string, unknown> = {},
): Promise<{ readonly client: RpcTestClient; readonly sessionId: string }> {
  const { readable, writable } = agent.connectInMemory();
  const client = new RpcTestClient(readable, writable);
  await client.request('connect', {});
  const sessionId = `session-${Math.random().toString(16).slice(2)}`;
  await client.request('session.create', { sessionId, streaming: true, requestPermission: true, envValueMode: 'direct', tools: [WEATHER_TOOL], ...createParams });
  return { client, sessionId };
}

/** Event types in order, without the envelope. */
export function types(events: readonly WireSessionEvent[]): string[] {
  return events.map((event) => event.type);
}

/** Events of one type. */
export function ofType(events: readonly WireSessionEvent[], type: string): WireSessionEvent[] {
  return events.filter((event) => event.type === type);
}

/** An event's data as a record, for field assertions. */
export function dataOf(event: WireSessionEvent | undefined): Record<string, unknown> {
  if (event === undefined) throw new Error('Expected an event, got none');
  return event.data as Record<string, unknown>;
}
