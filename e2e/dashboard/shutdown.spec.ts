/**
 * Ctrl-C: the app started as `npm start` runs it stops the CLI and leaves nothing running.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { buildApp, processExists, startApp } from './support/builtApp';

jest.setTimeout(120_000);

beforeAll(buildApp);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

/** The pids of the processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `pid`'s children, their children, and so on. */
function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

describe('npm start, stopped with Ctrl-C', () => {
  it('prints the URL, and on SIGINT stops the CLI and every other process, then exits 0', async () => {
    const app = startApp([]);
    const [, url] = await app.waitFor('stdout', /copilot-rx dashboard: open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/);
    const [, pid] = await app.waitFor('stderr', /Copilot CLI [\d.]+ \(pid (\d+)\)/);
    const cliPid = Number(pid);
    expect(await get(url!)).toBe(200);
    expect(processExists(cliPid)).toBe(true);
    expect(childrenOf(app.child.pid!)).toContain(cliPid);
    const descendants = descendantsOf(app.child.pid!);

    // The demo sessions are streaming now: stop in the middle of it.
    await app.waitFor('stderr', /press Ctrl-C to stop/);
    app.child.kill('SIGINT');

    expect(await app.exited).toBe(0);
    expect(app.stderr()).toContain('copilot-rx: stopping');
    // The app waited for the CLI to exit (and reaped it): no process, not even a zombie; nor any
    // process the app or the CLI had started.
    expect(existsSync(`/proc/${cliPid}`)).toBe(false);
    expect(descendants.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
    await expect(get(url!)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
