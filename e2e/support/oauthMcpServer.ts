/**
 * A minimal MCP server over streamable HTTP on 127.0.0.1 that demands an OAuth bearer token, for the
 * e2e test of `onMcpAuth`: without `Authorization: Bearer <token>` every request gets a 401 with a
 * `WWW-Authenticate` pointing at its protected-resource metadata; with the token it answers
 * `initialize`, `tools/list` (one tool, `whoami`) and `tools/call`. Offline, no dependencies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthMcpServer {
  readonly url: string;
  /** Every path requested, in order (for diagnosis). */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startOAuthMcpServer(token: string): Promise<OAuthMcpServer> {
  const seen: string[] = [];
  let base = '';
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ? 'auth' : 'anon'}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.url?.startsWith('/.well-known/oauth-protected-resource')) {
      return json(200, { resource: `${base}/mcp`, authorization_servers: [base], bearer_methods_supported: ['header'] });
    }
    if (request.url?.startsWith('/.well-known/oauth-authorization-server') || request.url?.startsWith('/.well-known/openid-configuration')) {
      return json(200, {
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        registration_endpoint: `${base}/register`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (request.url?.startsWith('/register')) return json(201, { client_id: 'tiny-client', redirect_uris: [] });
    if (request.headers.authorization !== `Bearer ${token}`) {
      return json(401, { error: 'unauthorized' }, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"` });
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      let message: { id?: unknown; method?: string; params?: { protocolVersion?: string } };
      try {
        message = JSON.parse(body) as typeof message;
      } catch {
        return json(400, { error: 'bad json' });
      }
      if (message.id === undefined) {
        response.writeHead(202);
        return response.end();
      }
      const reply = (result: unknown) => json(200, { jsonrpc: '2.0', id: message.id, result });
      switch (message.method) {
        case 'initialize':
          return reply({ protocolVersion: message.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'guarded', version: '1.0.0' } });
        case 'tools/list':
          return reply({ tools: [{ name: 'whoami', description: 'Says who is signed in', inputSchema: { type: 'object', properties: {} } }] });
        case 'tools/call':
          return reply({ content: [{ type: 'text', text: 'signed in with the token from onMcpAuth' }] });
        default:
          return json(200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
