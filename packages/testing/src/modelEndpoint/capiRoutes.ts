/**
 * The few Copilot API answers route A needs (real-cli.md §3): who the user is and which models exist.
 * Everything else the CLI asks the Copilot API for is declined with 404, which it tolerates.
 */

/** The model the scripted endpoint offers on route A (any model id is accepted on the chat route). */
export const SCRIPTED_MODEL_ID = 'claude-sonnet-4.5';
/** Shown by the CLI as `session.usage_info.tokenLimit`. */
export const SCRIPTED_MAX_PROMPT_TOKENS = 128_000;

/**
 * `GET /copilot_internal/user`: `endpoints.api` points the CLI's Copilot API calls back at this
 * endpoint. No `endpoints.telemetry`, so the CLI sends no telemetry at all.
 */
export function copilotUser(baseUrl: string): Record<string, unknown> {
  return { login: 'copilot-rx-test', copilot_plan: 'individual', chat_enabled: true, endpoints: { api: baseUrl } };
}

/**
 * `GET /models`: one chat model. `supported_endpoints` is only `/chat/completions`, so the CLI does not
 * choose the Responses or Messages API, which this endpoint does not speak.
 */
export function modelList(): Record<string, unknown> {
  return {
    data: [
      {
        id: SCRIPTED_MODEL_ID,
        name: SCRIPTED_MODEL_ID,
        object: 'model',
        vendor: 'copilot-rx',
        version: SCRIPTED_MODEL_ID,
        model_picker_enabled: true,
        preview: false,
        policy: { state: 'enabled' },
        supported_endpoints: ['/chat/completions'],
        capabilities: {
          type: 'chat',
          family: SCRIPTED_MODEL_ID,
          object: 'model_capabilities',
          supports: { streaming: true, tool_calls: true, parallel_tool_calls: true },
          limits: { max_context_window_tokens: 144_000, max_prompt_tokens: SCRIPTED_MAX_PROMPT_TOKENS, max_output_tokens: 16_000 },
        },
      },
    ],
  };
}

/** Route A calls answered 404 on purpose (the CLI carries on without them), by method and path prefix. */
export const DECLINED_CAPI_CALLS: readonly { readonly method: string; readonly prefix: string }[] = [
  { method: 'GET', prefix: '/copilot_internal/team_customizations' },
  { method: 'POST', prefix: '/mcp/readonly' },
  { method: 'POST', prefix: '/telemetry' },
];
