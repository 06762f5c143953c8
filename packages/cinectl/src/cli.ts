#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { appendAudit, auditedRun, redactCommandLine } from './audit.ts';
import { restartApp, startApp, stopApp } from './commands/app-services.ts';
import { backup, restore } from './commands/backup.ts';
import { type CommandContext, createContext, type GlobalOptions, resolveRoot } from './commands/context.ts';
import { type DeployOptions, deployApp } from './commands/deploy-app.ts';
import { enableAutostart } from './commands/enable-autostart.ts';
import { env } from './commands/env.ts';
import { initServer } from './commands/init-server.ts';
import { installSsl } from './commands/install-ssl.ts';
import { type LogsOptions, logs } from './commands/logs.ts';
import { releases } from './commands/releases.ts';
import { removeApp } from './commands/remove-app.ts';
import { rollback } from './commands/rollback.ts';
import { setDomain } from './commands/set-domain.ts';
import { startAll } from './commands/start-all.ts';
import { status } from './commands/status.ts';
import { stopAll } from './commands/stop-all.ts';
import { uninitServer } from './commands/uninit-server.ts';
import { describeError, UsageError } from './errors.ts';
import { examplesHelp } from './examples.ts';
import { INTERRUPTED_EXIT_CODE, installInterruptHandler } from './host/interrupt.ts';
import { acquireRunLock } from './host/run-lock.ts';

interface RawGlobals {
  dryRun?: boolean;
  root?: string;
  yes?: boolean;
  verbose?: boolean;
}

async function contextOf(command: Command): Promise<CommandContext> {
  const raw = command.optsWithGlobals<RawGlobals>();
  const options: GlobalOptions = {
    dryRun: raw.dryRun ?? false,
    root: await resolveRoot(raw.root),
    yes: raw.yes ?? false,
    verbose: raw.verbose ?? false,
  };
  return createContext(options);
}

const VERSION = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }
).version;

/** Commands that change nothing: they take no run lock. */
const READ_ONLY_COMMANDS = new Set(['status', 'releases', 'logs']);

/** `env APP` only shows; `env APP set|unset …` changes site.env. */
function isReadOnly(action: Command): boolean {
  return READ_ONLY_COMMANDS.has(action.name()) || (action.name() === 'env' && action.args.length < 2);
}

/** The global options every command takes, and the run lock every command but status and dry runs holds. */
function programWithGlobals(): Command {
  return new Command('cinectl')
    .version(VERSION, '--version', 'print the version')
    .description('Deploy and run CineStream sites on a CachyOS/Arch server: nginx, systemd workers, MongoDB.')
    .option('--dry-run', 'print every command and a diff of every file it would write; change nothing')
    .option('--root <dir>', 'treat DIR as / (staging trees and tests)')
    .option('-y, --yes', 'answer yes to confirmations (remove-app --purge, restore, uninit-server)')
    .option('-v, --verbose', 'show every step as it runs and log debug lines')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .hook('preAction', async (_program, action) => {
      const raw = action.optsWithGlobals<RawGlobals>();
      if (!isReadOnly(action) && !raw.dryRun) acquireRunLock(await resolveRoot(raw.root));
    });
}

/** init-server and uninit-server: the whole host. */
function addServerCommands(program: Command): void {
  program
    .command('init-server')
    .description('turn a fresh CachyOS/Arch server into one running the app cinestream at http://localhost/cinestream/')
    .option('--force', 'go on past the preflight checks that can safely be skipped (RAM, disk, mirror reachability)')
    .option('--source <dir>', 'CineStream checkout to deploy from (default: the one this cinectl belongs to)')
    .action(async (options: { force?: boolean; source?: string }, command: Command) => {
      await initServer(await contextOf(command), options);
    });

  program
    .command('uninit-server')
    .description('remove every app, its units and nginx files; with "yes" also the MongoDB and nginx packages')
    .argument('[yes]', '"yes": also remove the MongoDB and nginx packages (after a mongodump backup)')
    .option('--purge-data', "also delete the apps' data directories and databases (after the backup)")
    .action(async (packages: string | undefined, options: { purgeData?: boolean }, command: Command) => {
      await uninitServer(await contextOf(command), packages, options);
    });
}

/** deploy-app, rollback and remove-app: one app's releases and lifetime. */
function addAppCommands(program: Command): void {
  program
    .command('deploy-app')
    .description('deploy (or redeploy without downtime) an app from a CineStream checkout')
    .argument('<name>', 'app name: 2–32 lowercase letters, digits or -, starting with a letter')
    .option('--source <dir>', 'CineStream checkout to build from (default: the one this cinectl belongs to)')
    .option('--workers <n>', 'worker processes, one per port (1–12; default 12, or as before)')
    .option('--ports <first>', 'port block for a new app, e.g. 8013 or 8013-8024 (default: the lowest free one)')
    .option('--memory-max <size>', "each worker's memory limit, e.g. 768M or 2G (default 1G, or as before)")
    .option('--tasks-max <n>', "each worker's process and thread limit (default 512, or as before)")
    .option('--nofile <n>', "each worker's open-file limit (default 65536, or as before)")
    .action(async (name: string, options: DeployOptions, command: Command) => {
      await deployApp(await contextOf(command), name, options);
    });

  program
    .command('rollback')
    .description(
      'switch an app back to the release live before this one, or to RELEASE (workers restarted one at a time)',
    )
    .argument('<name>', 'app name')
    .argument('[release]', 'the release to go back to, as cinectl releases lists it')
    .action(async (name: string, release: string | undefined, _options: unknown, command: Command) => {
      await rollback(await contextOf(command), name, release);
    });

  program
    .command('releases')
    .description("list an app's releases: git commit, when built, when last live, and which one is live (*)")
    .argument('<name>', 'app name')
    .addOption(new Option('--json', 'machine-readable output'))
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await releases(await contextOf(command), name, options);
    });

  program
    .command('remove-app')
    .description('stop an app and remove its units and nginx files; keeps releases, .env and data unless --purge')
    .argument('<name>', 'app name')
    .option('--purge', 'also delete releases, .env, data and the system user')
    .action(async (name: string, options: { purge?: boolean }, command: Command) => {
      await removeApp(await contextOf(command), name, options);
    });
}

/** restart, start, stop and env: one app's workers and settings. */
function addDayTwoCommands(program: Command): void {
  program
    .command('logs')
    .description("show an app's journal (every worker, or one), or with --nginx its lines of nginx's logs")
    .argument('<name>', 'app name')
    .option('-f, --follow', 'keep showing new lines until Ctrl-C')
    .option('--since <time>', 'from this time on, e.g. "2025-03-14 09:00", today, -2h, "3 days ago"')
    .option('--worker <port>', "only the worker on this port (one of the app's ports)")
    .option('--nginx', "nginx's access and error lines for the app instead of the journal")
    .action(async (name: string, options: LogsOptions, command: Command) =>
      logs(await contextOf(command), name, options),
    );

  program
    .command('restart')
    .description("restart an app's workers one at a time, each answering /healthz before the next")
    .argument('<name>', 'app name')
    .action(async (name: string, _options: unknown, command: Command) => restartApp(await contextOf(command), name));
  program
    .command('start')
    .description("start an app's workers and check that each answers /healthz")
    .argument('<name>', 'app name')
    .action(async (name: string, _options: unknown, command: Command) => startApp(await contextOf(command), name));
  program
    .command('stop')
    .description("stop an app's workers (nginx answers 502 for it until they start again)")
    .argument('<name>', 'app name')
    .action(async (name: string, _options: unknown, command: Command) => stopApp(await contextOf(command), name));
  program
    .command('backup')
    .description("back up an app's data: SQLite's online backup, or mongodump with the app's own user")
    .argument('<name>', 'app name')
    .option('--to <dir>', 'where the file goes (default /var/backups/cinestream/NAME)')
    .option('--keep <n>', 'backups of the app kept in that directory, the oldest removed (default 7)')
    .action(async (name: string, options: { to?: string; keep?: string }, command: Command) =>
      backup(await contextOf(command), name, options),
    );
  program
    .command('restore')
    .description(
      "replace an app's data with a backup: asks first, backs up the data as it is, stops and starts the workers",
    )
    .argument('<name>', 'app name')
    .argument('<file>', 'a file cinectl backup made')
    .action(async (name: string, file: string, _options: unknown, command: Command) =>
      restore(await contextOf(command), name, file),
    );
  program
    .command('env')
    .description(
      "show an app's settings (secrets redacted), or set/unset them in site.env: checked with the site's own rules, then a rolling restart",
    )
    .argument('<name>', 'app name')
    .argument('[action]', 'set or unset')
    .argument('[assignments...]', 'set: KEY=VALUE …; unset: KEY …')
    .option('--reveal', 'show secret values as they are')
    .action(
      async (
        name: string,
        action: string | undefined,
        args: string[],
        options: { reveal?: boolean },
        command: Command,
      ) => env(await contextOf(command), name, action, args, options),
    );
}

/** set-domain and install-ssl: an app's domain and its certificate. */
function addDomainCommands(program: Command): void {
  program
    .command('set-domain')
    .description('serve an app at a domain: HTTP for the ACME challenge, HTTPS at / (self-signed until install-ssl)')
    .argument('<domain>', 'e.g. films.example.com (IDN allowed; stored as punycode)')
    .argument('[app]', 'app name (needed only when there is more than one app)')
    .option('--wildcard', 'allow a wildcard domain such as *.example.com')
    .action(async (domain: string, app: string | undefined, options: { wildcard?: boolean }, command: Command) => {
      await setDomain(await contextOf(command), domain, app, options);
    });

  program
    .command('install-ssl')
    .description("get a Let's Encrypt certificate for a domain set with set-domain, and keep it renewed")
    .argument('<domain>', 'the domain given to set-domain')
    .option('--email <address>', 'address the CA keeps for the account (problems, policy changes)')
    .option('--staging', "use Let's Encrypt's staging CA (untrusted certificates, generous rate limits)")
    .option('--skip-dns-check', "ask the CA even when the domain's DNS does not point at this server")
    .option('--server <url>', 'ACME directory URL of another CA')
    .action(
      async (
        domain: string,
        options: { email?: string; staging?: boolean; skipDnsCheck?: boolean; server?: string },
        command: Command,
      ) => {
        await installSsl(await contextOf(command), domain, options);
      },
    );
}

/** status, start-all, stop-all and enable-autostart: every service on the host. */
function addServiceCommands(program: Command): void {
  program
    .command('status')
    .description('MongoDB, nginx and every worker of every app: running, listening, answering /healthz')
    .addOption(new Option('--json', 'machine-readable output'))
    .action(async (options: { json?: boolean }, command: Command) => {
      await status(await contextOf(command), options);
    });

  program
    .command('start-all')
    .description('start MongoDB, every app worker and nginx')
    .action(async (_options: unknown, command: Command) => startAll(await contextOf(command)));
  program
    .command('stop-all')
    .description('stop nginx, every app worker and MongoDB')
    .action(async (_options: unknown, command: Command) => stopAll(await contextOf(command)));
  program
    .command('enable-autostart')
    .description('start MongoDB, nginx and every app worker at boot')
    .action(async (_options: unknown, command: Command) => enableAutostart(await contextOf(command)));
}

/** Every command, in the order `cinectl --help` lists them. */
function buildProgram(): Command {
  const program = programWithGlobals();
  addServerCommands(program);
  addAppCommands(program);
  addDayTwoCommands(program);
  addDomainCommands(program);
  addServiceCommands(program);
  for (const command of program.commands) command.addHelpText('after', examplesHelp(command.name()));
  return program;
}

/** Commander's own complaints (unknown option, missing argument) are bad input too: one line, exit 2. */
function fromCommander(error: CommanderError): UsageError | null {
  if (error.exitCode === 0) return null;
  const message = error.message.replace(/^error:\s*/i, '').replace(/\n[\s\S]*$/, '');
  return new UsageError(message, 'cinectl --help lists the commands and options');
}

async function run(argv: string[]): Promise<{ exitCode: number; result: string }> {
  try {
    await buildProgram().parseAsync(argv);
    return { exitCode: 0, result: 'ok' };
  } catch (error) {
    const shown = error instanceof CommanderError ? fromCommander(error) : error;
    if (shown === null) return { exitCode: 0, result: 'ok' };
    const { line, exitCode, details = [] } = describeError(shown);
    process.stderr.write([line, ...details].map((text) => `${text}\n`).join(''));
    return { exitCode, result: line };
  }
}

async function main(argv: string[]): Promise<number> {
  const { exitCode, result } = await run(argv);
  const audited = auditedRun();
  if (audited) {
    appendAudit(audited.root, {
      command: `cinectl ${redactCommandLine(argv.slice(2))}`,
      sudoUser: process.env.SUDO_USER ?? null,
      start: audited.start,
      end: new Date().toISOString(),
      exitCode,
      result,
    });
  }
  return exitCode;
}

// `cinectl status | head`: a reader that goes away early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Not a top-level await: a promise that never settles must not end cinectl with Node's exit 13 and no word.
let finished = false;
process.exitCode = 1;
process.on('exit', () => {
  if (!finished) {
    process.stderr.write(
      'cinectl: internal error: the command stopped before it finished — hint: this is a bug in cinectl; please report it\n',
    );
  }
});
installInterruptHandler();
void main(process.argv).then((exitCode) => {
  finished = true;
  process.exitCode = exitCode;
  // After Ctrl-C, commands may still be winding down: the line is written, so go now.
  if (exitCode === INTERRUPTED_EXIT_CODE) process.exit(exitCode);
});
