#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type CommandContext, createContext, type GlobalOptions, resolveRoot } from './commands/context.ts';
import { deployApp } from './commands/deploy-app.ts';
import { enableAutostart } from './commands/enable-autostart.ts';
import { removeApp } from './commands/remove-app.ts';
import { rollback } from './commands/rollback.ts';
import { startAll } from './commands/start-all.ts';
import { status } from './commands/status.ts';
import { stopAll } from './commands/stop-all.ts';
import { describeError, UsageError } from './errors.ts';

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

function buildProgram(): Command {
  const program = new Command('cinectl')
    .version(VERSION, '--version', 'print the version')
    .description('Deploy and run CineStream sites on a CachyOS/Arch server: nginx, systemd workers, MongoDB.')
    .option('--dry-run', 'print every command and a diff of every file it would write; change nothing')
    .option('--root <dir>', 'treat DIR as / (staging trees and tests)')
    .option('-y, --yes', 'answer yes to confirmations (remove-app --purge)')
    .option('-v, --verbose', 'show every step as it runs and log debug lines')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  program
    .command('deploy-app')
    .description('deploy (or redeploy without downtime) an app from a CineStream checkout')
    .argument('<name>', 'app name: 2–32 lowercase letters, digits or -, starting with a letter')
    .option('--source <dir>', 'CineStream checkout to build from (default: the one this cinectl belongs to)')
    .option('--workers <n>', 'worker processes, one per port (1–12; default 12, or as before)')
    .option('--ports <first>', 'port block for a new app, e.g. 8013 or 8013-8024 (default: the lowest free one)')
    .action(async (name: string, options: { source?: string; workers?: string; ports?: string }, command: Command) => {
      await deployApp(await contextOf(command), name, options);
    });

  program
    .command('rollback')
    .description('switch an app back to its previous release (workers restarted one at a time)')
    .argument('<name>', 'app name')
    .action(async (name: string, _options: unknown, command: Command) => {
      await rollback(await contextOf(command), name);
    });

  program
    .command('remove-app')
    .description('stop an app and remove its units and nginx files; keeps releases, .env and data unless --purge')
    .argument('<name>', 'app name')
    .option('--purge', 'also delete releases, .env, data and the system user')
    .action(async (name: string, options: { purge?: boolean }, command: Command) => {
      await removeApp(await contextOf(command), name, options);
    });

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
  return program;
}

/** Commander's own complaints (unknown option, missing argument) are bad input too: one line, exit 2. */
function fromCommander(error: CommanderError): UsageError | null {
  if (error.exitCode === 0) return null;
  const message = error.message.replace(/^error:\s*/i, '').replace(/\n[\s\S]*$/, '');
  return new UsageError(message, 'cinectl --help lists the commands and options');
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    const shown = error instanceof CommanderError ? fromCommander(error) : error;
    if (shown === null) return 0;
    const { line, exitCode } = describeError(shown);
    process.stderr.write(`${line}\n`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv);
