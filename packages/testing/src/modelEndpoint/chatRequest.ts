/**
 * The parts of a chat-completions request body the scripted model reacts to.
 */
export interface ChatRequest {
  /** The `model` field, echoed in every chunk. */
  readonly model: string;
  /** `stream: true` asks for SSE; without it the CLI expects one `chat.completion` JSON. */
  readonly stream: boolean;
  /** The newest user message without the CLI's `<current_datetime>` preamble: the test's prompt. */
  readonly prompt: string;
  /** The tool results the request ends with (empty unless its last message has role `tool`). */
  readonly toolResults: readonly ToolResult[];
  /** Characters of all message contents, the base of the `prompt_tokens` estimate. */
  readonly promptChars: number;
}

/** A `tool` message, with the tool's name looked up in the assistant message that called it. */
export interface ToolResult {
  readonly toolCallId: string;
  readonly name: string;
  readonly content: string;
}

/** A request body the scripted model cannot answer; the message says which field is wrong. */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
}

interface Message {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_call_id?: unknown;
  readonly tool_calls?: unknown;
}

/**
 * Reads a chat-completions request body.
 *
 * @throws ChatRequestError when the body is not an object with a `messages` array of `{role}` objects.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ChatRequestError('the request body must be a JSON object with a "messages" array');
  }
  const { messages, model, stream } = body as { messages?: unknown; model?: unknown; stream?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ChatRequestError(`"messages" must be a non-empty array, got ${JSON.stringify(messages) ?? 'nothing'}`);
  }
  messages.forEach((message: unknown, i) => {
    if (typeof (message as Message | null)?.role !== 'string') throw new ChatRequestError(`messages[${i}] has no string "role"`);
  });
  const list = messages as readonly Message[];
  const newestUser = [...list].reverse().find((m) => m.role === 'user');
  return {
    model: typeof model === 'string' ? model : 'scripted-model',
    stream: stream === true,
    prompt: newestUser ? withoutDatetime(textOf(newestUser.content)) : '',
    toolResults: trailingToolResults(list),
    promptChars: list.reduce((sum, m) => sum + textOf(m.content).length, 0),
  };
}

/** The CLI prefixes each user message with `<current_datetime>…</current_datetime>\n\n`. */
function withoutDatetime(text: string): string {
  return text.replace(/<current_datetime>[\s\S]*?<\/current_datetime>/g, '').trim();
}

/** Message content is a string, null, or an array of parts of which the `text` ones count. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (typeof (part as { text?: unknown } | null)?.text === 'string' ? (part as { text: string }).text : ''))
    .join('');
}

function trailingToolResults(messages: readonly Message[]): ToolResult[] {
  let first = messages.length;
  while (first > 0 && messages[first - 1]!.role === 'tool') first--;
  const names = new Map<string, string>();
  for (const message of messages.slice(0, first)) {
    if (!Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls as unknown[]) {
      const { id, function: fn } = (call ?? {}) as { id?: unknown; function?: { name?: unknown } };
      if (typeof id === 'string' && typeof fn?.name === 'string') names.set(id, fn.name);
    }
  }
  return messages.slice(first).map((message) => {
    const toolCallId = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
    return { toolCallId, name: names.get(toolCallId) ?? 'unknown_tool', content: textOf(message.content) };
  });
}
