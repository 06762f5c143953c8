// Gemini calls, searches, tokens and cost of the recorded scrapes, per city and per UTC day, and how each cinema's
// schedule page was last read: `pnpm --filter web usage [--days N] [--json]`.
// Reads the same environment as the site (MONGO_URI, MONGO_DB, DATA_DIR, GEMINI_MODEL for the prices).
import { loadConfig } from '../config.ts';
import { resolveOffline } from '../scrape/models.ts';
import { pageLines, pagesTable } from '../scrape/page-report.ts';
import { summarizeUsage, usageTable } from '../scrape/usage.ts';
import { openStore } from '../store/open.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3650;
const HELP = `Usage: pnpm --filter web usage [--days N] [--json]
  --days N  the last N UTC days, today included (default 30, at most ${MAX_DAYS})
  --json    print the summary as JSON instead of a table`;

class UsageError extends Error {}

interface Options {
  days: number;
  json: boolean;
  help: boolean;
}

function parseDays(value: string | undefined): number {
  if (value === undefined || value.startsWith('--')) {
    throw new UsageError('--days needs a number of days, e.g. --days 7.');
  }
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`--days must be a whole number from 1 to ${MAX_DAYS}, got "${value}"; e.g. --days 7.`);
  }
  return days;
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { days: 30, json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') continue;
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--days') options.days = parseDays(args[++i]);
    else if (arg.startsWith('--days=')) options.days = parseDays(arg.slice('--days='.length));
    else throw new UsageError(`unknown option "${arg}"; the options are --days N and --json (see --help).`);
  }
  return options;
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.help) {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  // Runs record their model and cost; older ones are priced as the configured model, by the built-in table.
  const model = resolveOffline(config.gemini.model);
  const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const since = new Date(todayStart - (options.days - 1) * DAY_MS);
  const store = await openStore(config.store);
  try {
    const summary = summarizeUsage(await store.scrapeRunsSince(since), model);
    const locations = await store.listLocations();
    const pages = pageLines(
      await Promise.all(
        locations.map(async (location) => ({ location, pages: await store.schedulePages(location.slug) })),
      ),
    );
    if (options.json) {
      console.log(JSON.stringify({ since: since.toISOString(), days: options.days, ...summary, pages }, null, 2));
      return;
    }
    const period = `since ${since.toISOString().slice(0, 10)} (${options.days} UTC day${options.days === 1 ? '' : 's'})`;
    if (summary.total.runs === 0) {
      console.log(`No scrapes were recorded ${period}.\n\nCinema schedule pages:\n${pagesTable(pages)}`);
      return;
    }
    const allowance = model.price
      ? `; Google's free allowance (${model.price.search.freeAllowance}) is not subtracted`
      : '';
    console.log(
      `Gemini usage ${period}, at list price (runs that did not record their model as ${model.id})${allowance}:\n\n${usageTable(summary)}` +
        `\n\nCinema schedule pages, as last read:\n${pagesTable(pages)}`,
    );
  } finally {
    await store.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`usage report: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
