/**
 * The real server for browser tests: `src/main.ts` in a child process, on a free port, with a fresh embedded
 * database of its own (so the demo programme is seeded from empty) and a known demo password.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The password of every demo account in the server these tests start. */
export const DEMO_PASSWORD = 'e2e-walking-alongside-2026';

export const DEMO_ACCOUNTS = {
  coordinator: 'coordinator.marsh@brookfield.example',
  leadership: 'leadership@brookfield.example',
  evaluator: 'evaluator@brookfield.example',
  manager: 'manager@brookfield.example',
  admin: 'admin@brookfield.example',
} as const;

const root = path.resolve(import.meta.dirname, '..', '..');
const HEALTH_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
/** How much of the server's output is kept to explain a failure. */
const OUTPUT_KEPT = 20_000;

export interface RunningServer {
  /** The base address, without a trailing slash: http://127.0.0.1:PORT */
  url: string;
  /** What the server has written to stdout and stderr lately, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Asks the operating system for a port no one is listening on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        if (port === 0) reject(new Error('Could not find a free port'));
        else resolve(port);
      });
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${String(child.exitCode ?? child.signalCode)}) before it was healthy:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastProblem = `GET /health answered ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (${lastProblem}):\n${output()}`);
}

/** Starts `node --import tsx src/main.ts` and resolves once GET /health answers 200. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'alongside-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    ALONGSIDE_DATA_DIR: dataDir,
    ALONGSIDE_DEMO: 'on',
    ALONGSIDE_DEMO_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'warn',
    // The browser tests' own Chromium prints the monthly report as a PDF.
    ALONGSIDE_CHROMIUM: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  // Always the embedded database: the demo programme is only seeded there, and a shared PostgreSQL is not ours.
  delete env.DATABASE_URL;
  delete env.SESSION_SECRET;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const output = () => log;
  // Should the test process die without running its after() hook, do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitForHealth(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output, stop };
}
