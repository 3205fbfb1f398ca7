import { defineTool, type Tool } from '@copilot-rx/core';

/**
 * The client-side tools the dashboard's sessions offer. They answer from fixed data (no network),
 * and each call still asks the user's permission in the page first.
 */
export const getWeather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] },
  handler: ({ city }: { city?: unknown }) => `Sunny in ${typeof city === 'string' ? city : 'that city'}, 21C`,
});

export const demoTools: readonly Tool<any>[] = [getWeather];
