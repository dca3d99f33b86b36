import { existsSync } from 'node:fs';
import { z } from 'zod';

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// connection string')
      .optional(),
    ALONGSIDE_DATA_DIR: z.string().min(1).default('./data'),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    ALONGSIDE_DEMO_PASSWORD: z.string().min(8, 'ALONGSIDE_DEMO_PASSWORD must be at least 8 characters').optional(),
    ALONGSIDE_DEMO: z.enum(['on', 'off']).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ALONGSIDE_CHROMIUM: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SESSION_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required in production' });
    }
  });

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  sessionSecret: string;
  /** Secure cookies and HSTS only make sense behind TLS, which production always has. */
  secureCookies: boolean;
  demo: { enabled: boolean; password: string | undefined };
  logLevel: string;
  /** Chromium, to print the monthly report as a PDF; without it the report is printed from the browser. */
  chromiumPath: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once, at start-up, into one typed object; a bad setting stops the process with a clear message. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, randomSecret: () => string, fileExists: (path: string) => boolean = existsSync): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`The configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir: e.ALONGSIDE_DATA_DIR }
        : { kind: 'postgres', url: e.DATABASE_URL },
    // Outside production a per-process secret is fine: sessions live in the database and a restart signs people out.
    sessionSecret: e.SESSION_SECRET ?? randomSecret(),
    secureCookies: e.NODE_ENV === 'production',
    // Demo data by default only on the embedded database: a real PostgreSQL is where real records live.
    demo: { enabled: (e.ALONGSIDE_DEMO ?? (e.DATABASE_URL === undefined ? 'on' : 'off')) === 'on', password: e.ALONGSIDE_DEMO_PASSWORD },
    logLevel: e.LOG_LEVEL,
    chromiumPath: chromiumPath(e.ALONGSIDE_CHROMIUM, fileExists),
  };
}

/** The Chromium named, which must be there; otherwise Debian's where it is installed; otherwise none ("off"). */
function chromiumPath(setting: string | undefined, fileExists: (path: string) => boolean): string | undefined {
  if (setting === 'off') return undefined;
  if (setting !== undefined) {
    if (!fileExists(setting)) throw new ConfigError(`The configuration is not valid:\n  ALONGSIDE_CHROMIUM: there is no file at ${setting}`);
    return setting;
  }
  return fileExists(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}
