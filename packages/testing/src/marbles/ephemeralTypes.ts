/**
 * Which session event types the CLI marks `ephemeral: true` (protocol.md §5.5 "E" rows, plus the
 * non-schema types of §5.6 and the transcripts). Ephemeral events are never written to the session's
 * history, never come back from `session.getMessages` and never become another event's `parentId`.
 */
export const EPHEMERAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'session.idle',
  'session.title_changed',
  'session.snapshot_rewind',
  'session.usage_info',
  'session.todos_changed',
  'session.custom_notification',
  'session.managed_settings_resolved',
  'session.managed_settings_enforced',
  'session.tools_updated',
  'session.background_tasks_changed',
  'session.skills_loaded',
  'session.custom_agents_updated',
  'session.mcp_servers_loaded',
  'session.mcp_server_status_changed',
  'session.extensions_loaded',
  'session.extensions.attachments_pushed',
  'session.canvas.opened',
  'session.canvas.registry_changed',
  'session.canvas.closed',
  'session.canvas.unavailable',
  'pending_messages.modified',
  'assistant.intent',
  'assistant.server_tool_progress',
  'assistant.reasoning_delta',
  'assistant.tool_call_delta',
  'assistant.streaming_delta',
  'assistant.message_start',
  'assistant.message_delta',
  'assistant.idle',
  'assistant.usage',
  'assistant.turn_retry',
  'tool.execution_partial_result',
  'tool.execution_progress',
  'hook.progress',
  'user_input.requested',
  'user_input.completed',
  'elicitation.requested',
  'elicitation.completed',
  'sampling.requested',
  'sampling.completed',
  'mcp.oauth_required',
  'mcp.oauth_completed',
  'mcp.headers_refresh_required',
  'mcp.headers_refresh_completed',
  'mcp.tools.list_changed',
  'mcp.resources.list_changed',
  'mcp.prompts.list_changed',
  'mcp_app.tool_call_complete',
  'ui.ephemeral_query',
  'command.queued',
  'command.execute',
  'command.completed',
  'commands.changed',
  'capabilities.changed',
  'auto_mode_switch.requested',
  'auto_mode_switch.completed',
  'session_limits_exhausted.requested',
  'session_limits_exhausted.completed',
  'exit_plan_mode.requested',
  'exit_plan_mode.completed',
  'factory.run_updated',
  'factory.run_started',
  'factory.run_settled',
  // Observed on the wire, not in the schema (§5.6).
  'agent.interrupted',
  'sandbox.decision',
]);

/**
 * True when the CLI sends events of this type with `ephemeral: true`. Every `model.*` type is
 * ephemeral too (1.0.102 sends even `model.log` as ephemeral).
 */
export function isEphemeralType(type: string): boolean {
  return EPHEMERAL_EVENT_TYPES.has(type) || type.startsWith('model.');
}
