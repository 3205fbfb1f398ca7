// A minimal MCP server over stdio (newline-delimited JSON-RPC), for the e2e tests of `mcpServers` and
// elicitation: `echo` answers at once; `ask_colour` first asks the client (the CLI) to elicit a colour
// from the user (`elicitation/create`) and returns what came back. Offline, no dependencies.
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const waiting = new Map();
let nextId = 1;

const TOOLS = [
  { name: 'echo', description: 'Echoes its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  { name: 'ask_colour', description: "Asks the user's favourite colour", inputSchema: { type: 'object', properties: {} } },
];

function ask(method, params) {
  const id = `tiny-${nextId++}`;
  send({ id, method, params });
  return new Promise((resolve) => waiting.set(id, resolve));
}

async function callTool({ name, arguments: args = {} }) {
  if (name === 'echo') return { content: [{ type: 'text', text: `tiny echo: ${args.text ?? ''}` }] };
  if (name === 'ask_colour') {
    const answer = await ask('elicitation/create', {
      message: 'Favourite colour?',
      requestedSchema: { type: 'object', properties: { colour: { type: 'string' } }, required: ['colour'] },
    });
    return { content: [{ type: 'text', text: `elicited: ${JSON.stringify(answer.result ?? answer.error)}` }] };
  }
  return { content: [{ type: 'text', text: `no tool ${name}` }], isError: true };
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.method === undefined) {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
    return;
  }
  if (message.id === undefined) return; // a notification
  switch (message.method) {
    case 'initialize':
      return send({
        id: message.id,
        result: { protocolVersion: message.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'tiny', version: '1.0.0' } },
      });
    case 'tools/list':
      return send({ id: message.id, result: { tools: TOOLS } });
    case 'tools/call':
      return send({ id: message.id, result: await callTool(message.params ?? {}) });
    case 'ping':
      return send({ id: message.id, result: {} });
    default:
      return send({ id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
  }
});
