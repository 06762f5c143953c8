import { UsageError } from '../errors.ts';
import { setDomainPlan } from '../plan/domain.ts';
import { validateAppName } from '../state/app-name.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { validateDomain } from '../state/domain.ts';
import { type BrokenApp, readRegistry } from '../state/registry.ts';
import { certificateNextStep, leftoverCertificateWarning } from './certificate-advice.ts';
import type { CommandContext } from './context.ts';
import { refuseBroken, warnBroken } from './find-app.ts';
import { asHostError, hasIssuedCertificate, nginxAppsOf, nginxHost, requireNginxConf } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';

/**
 * The app named, or the only app there is; otherwise a UsageError listing the apps. A broken app is refused; while
 * there is one, the app has to be named.
 */
export function chooseApp(
  apps: readonly DeployConfig[],
  name: string | undefined,
  domain: string,
  broken: readonly BrokenApp[] = [],
): DeployConfig {
  const known = [...apps.map((app) => app.name), ...broken.map((entry) => `${entry.dir} (broken)`)].join(', ');
  if (name !== undefined) {
    const valid = validateAppName(name);
    const found = apps.find((app) => app.name === valid);
    refuseBroken(broken, valid);
    if (!found) throw new UsageError(`there is no app named "${valid}"`, `apps on this host: ${known || 'none yet'}`);
    return found;
  }
  const [only] = apps;
  const count = apps.length + broken.length;
  if (count === 1 && only) return only;
  if (count === 0) throw new UsageError('there is no app to serve yet', 'deploy one first: cinectl deploy-app NAME');
  throw new UsageError(
    `there are ${count} apps, so set-domain needs to know which one serves ${domain}`,
    `name it: cinectl set-domain ${domain} APP (apps: ${known})`,
  );
}

export async function setDomain(
  ctx: CommandContext,
  input: string,
  appName: string | undefined,
  options: { wildcard?: boolean },
): Promise<void> {
  const domain = validateDomain(input, { wildcard: options.wildcard ?? false });
  const { root } = ctx.options;
  const { apps, broken } = await readRegistry(root);
  const app = chooseApp(apps, appName, domain, broken);
  const holder = apps.find((other) => other.domain === domain && other.name !== app.name);
  if (holder) {
    throw new UsageError(
      `${domain} is already the domain of the app ${holder.name}`,
      `pick another domain, or first give ${holder.name} another one (cinectl set-domain OTHER ${holder.name})`,
    );
  }
  const nginxConf = await requireNginxConf(root);
  const updated = { ...app, domain };
  const moving = app.domain && app.domain !== domain ? app.domain : null;
  let plan: ReturnType<typeof setDomainPlan>;
  try {
    plan = setDomainPlan({
      app: updated,
      apps: nginxAppsOf(
        root,
        apps.map((other) => (other.name === app.name ? updated : other)),
      ),
      nginxConf,
      nginx: nginxHost(root, broken),
    });
  } catch (error) {
    asHostError(error, 'fix the file named in the message and run set-domain again');
  }
  warnBroken(ctx, broken);
  await applyPlan(ctx, plan);
  if (moving && hasIssuedCertificate(root, moving)) ctx.warn(leftoverCertificateWarning(moving));
  if (ctx.options.dryRun) return;
  if (hasIssuedCertificate(root, domain)) {
    ctx.print(`${app.name} answers at https://${domain}/ with its certificate (and at http://localhost/${app.name}/).`);
  } else {
    ctx.print(
      `${app.name} answers at http://${domain}/ and, with a self-signed placeholder, at https://${domain}/ (and at http://localhost/${app.name}/).`,
    );
    ctx.print(`Next: point DNS for ${domain} at this server, then ${certificateNextStep(domain)}`);
  }
}
