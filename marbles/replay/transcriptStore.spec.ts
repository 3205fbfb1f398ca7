/**
 * The loader every reader of fixtures/transcripts goes through (the replay specs here, core's codecs
 * spec, the testing package's specs, the benchmark, the recording script). It lives beside the data
 * (fixtures/transcripts/index.js); its spec sits here, where jest and the typecheck already look.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  GZIP_ABOVE_BYTES,
  listTranscripts,
  MissingTranscriptError,
  readTranscriptText,
  TRANSCRIPTS_DIR,
  transcriptStore,
  type TranscriptStore,
} from '../../fixtures/transcripts';

let dir: string;
let store: TranscriptStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-transcripts-'));
  store = transcriptStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number) => `${JSON.stringify({ t: i, dir: 'cli->client', msg: { jsonrpc: '2.0', method: 'session.event', params: { n: i } } })}\n`;
const jsonl = (lines: number) => Array.from({ length: lines }, (_, i) => line(i)).join('');

describe('transcriptStore', () => {
  it('keeps a small transcript as plain JSONL and reads it back', () => {
    const text = jsonl(3);
    expect(store.writeTranscriptText('small.jsonl', text)).toBe(path.join(dir, 'small.jsonl'));
    expect(readFileSync(path.join(dir, 'small.jsonl'), 'utf8')).toBe(text);
    expect(store.readTranscriptText('small.jsonl')).toBe(text);
  });

  it('gzips a transcript over the threshold, and reads it back by the same name', () => {
    const text = jsonl(Math.ceil(GZIP_ABOVE_BYTES / line(0).length) + 10);
    expect(Buffer.byteLength(text)).toBeGreaterThan(GZIP_ABOVE_BYTES);
    expect(store.writeTranscriptText('nested/large.jsonl', text)).toBe(path.join(dir, 'nested', 'large.jsonl.gz'));
    expect(existsSync(path.join(dir, 'nested', 'large.jsonl'))).toBe(false);
    expect(gunzipSync(readFileSync(path.join(dir, 'nested', 'large.jsonl.gz'))).toString('utf8')).toBe(text);
    expect(store.readTranscriptText('nested/large.jsonl')).toBe(text);
    expect(store.readTranscriptRecords('nested/large.jsonl')[1]).toEqual(JSON.parse(line(1)));
  });

  it('leaves one form per name when a transcript changes size', () => {
    store.writeTranscriptText('x.jsonl', jsonl(Math.ceil(GZIP_ABOVE_BYTES / line(0).length) + 10));
    store.writeTranscriptText('x.jsonl', jsonl(2));
    expect(existsSync(path.join(dir, 'x.jsonl.gz'))).toBe(false);
    expect(store.readTranscriptText('x.jsonl')).toBe(jsonl(2));
  });

  it('lists logical names, subfolders included, sorted, whatever the storage', () => {
    store.writeTranscriptText('b.jsonl', jsonl(1));
    store.writeTranscriptText('sub/a.jsonl', jsonl(Math.ceil(GZIP_ABOVE_BYTES / line(0).length) + 10));
    writeFileSync(path.join(dir, 'README.md'), 'not a transcript');
    expect(store.listTranscripts()).toEqual(['b.jsonl', 'sub/a.jsonl']);
    expect(store.listTranscripts('sub')).toEqual(['sub/a.jsonl']);
  });

  it('names the file and line of a line that is not JSON', () => {
    writeFileSync(path.join(dir, 'broken.jsonl'), `${line(0)}{not json\n`);
    expect(() => store.readTranscriptRecords('broken.jsonl')).toThrow(/broken\.jsonl:2 is not JSON/);
  });

  it('says which files it looked for when a transcript is missing', () => {
    expect(() => store.readTranscriptText('absent.jsonl')).toThrow(MissingTranscriptError);
    expect(() => store.readTranscriptText('absent.jsonl')).toThrow(`neither ${path.join(dir, 'absent.jsonl')} nor ${path.join(dir, 'absent.jsonl.gz')} exists`);
  });

  it('refuses names that leave its folder, for reading and for writing', () => {
    for (const name of ['../outside.jsonl', '/etc/passwd', 'sub/../../outside.jsonl']) {
      expect(() => store.readTranscriptText(name)).toThrow(MissingTranscriptError);
      expect(() => store.writeTranscriptText(name, 'x')).toThrow(/must be a path inside/);
    }
    expect(existsSync(path.join(dir, '..', 'outside.jsonl'))).toBe(false);
  });
});

describe("the repository's own transcripts", () => {
  it('are read from fixtures/transcripts inside the checkout', () => {
    expect(path.relative(path.resolve(__dirname, '..', '..'), TRANSCRIPTS_DIR)).toBe(path.join('fixtures', 'transcripts'));
  });

  it('include the gzipped ones under their logical names', () => {
    expect(listTranscripts()).toContain('raw-capi-chunks-5000.jsonl');
    expect(readTranscriptText('raw-capi-chunks-5000.jsonl').split('\n').filter(Boolean)).toHaveLength(10_050);
  });
});
