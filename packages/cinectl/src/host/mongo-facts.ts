import type { CommandContext } from '../commands/context.ts';
import { MONGOD_CONFIG } from '../plan/layout.ts';
import type { MongoServerFacts } from '../plan/mongo.ts';
import { Sensitive } from '../plan/sensitive.ts';
import { readMongoSettings } from '../state/mongo-config.ts';
import { readHostFile } from './facts.ts';

/** What the MongoDB steps need to know about the host: mongod's configuration and cinectl's mongo.json. */
export async function gatherMongoFacts(ctx: CommandContext): Promise<MongoServerFacts> {
  const { root } = ctx.options;
  return {
    configText: await readHostFile(root, MONGOD_CONFIG),
    settings: await readMongoSettings(root),
    newAdminPassword: new Sensitive(ctx.randomSecret()),
  };
}
