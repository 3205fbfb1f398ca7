import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The page's static files, read once. From src/server (tests) and dist/server (npm start) alike. */
const PUBLIC_DIR = path.join(__dirname, '..', '..', 'public');

export interface StaticFile {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The page and its two assets. The HTML refers to the assets with the access token in their URLs
 * (every request needs it); the token is URL-safe base64, so it needs no escaping in the HTML.
 */
export function loadPage(token: string): ReadonlyMap<string, StaticFile> {
  const read = (name: string) => readFileSync(path.join(PUBLIC_DIR, name), 'utf8');
  return new Map([
    ['/', { contentType: 'text/html; charset=utf-8', body: read('index.html').replaceAll('{{TOKEN}}', token) }],
    ['/app.js', { contentType: 'text/javascript; charset=utf-8', body: read('app.js') }],
    ['/style.css', { contentType: 'text/css; charset=utf-8', body: read('style.css') }],
  ]);
}
