import { CinectlError, UsageError } from '../errors.ts';
import { ownAddresses, resolveAddresses, rootNameservers } from '../host/dns.ts';
import { readHostFile } from '../host/facts.ts';
import { type CertificateRequest, renewalCa, requestedCa } from '../plan/certbot.ts';
import { installSslPlan } from '../plan/domain.ts';
import { certificateName, renewalConfPath } from '../plan/tls.ts';
import { dnsVerdict } from '../state/dns-match.ts';
import { isWildcard, validateDomain } from '../state/domain.ts';
import { readRegistry } from '../state/registry.ts';
import type { CommandContext } from './context.ts';
import { warnBroken } from './find-app.ts';
import { asHostError, hasIssuedCertificate, nginxAppOf, nginxHost, requireNginxConf } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';

export interface InstallSslOptions {
  email?: string;
  staging?: boolean;
  skipDnsCheck?: boolean;
  server?: string;
}

const EMAIL = /^[^\s@"'<>()[\]\\,;:]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/** The certificate request from the command line, checked before anything is planned. */
export function certificateRequest(input: string, options: InstallSslOptions): CertificateRequest {
  const domain = validateDomain(input, { wildcard: true });
  if (isWildcard(domain)) {
    throw new UsageError(
      `install-ssl cannot get a certificate for the wildcard ${domain}: the CA proves a wildcard only through DNS records, and install-ssl answers over HTTP`,
      `get it with a certbot DNS plugin and --cert-name ${certificateName(domain)}; cinectl then serves it (see docs/DOMAINS.md)`,
    );
  }
  if (options.email !== undefined && !EMAIL.test(options.email)) {
    throw new UsageError(
      `--email ${JSON.stringify(options.email)} is not an email address`,
      'e.g. --email ops@example.com',
    );
  }
  if (options.staging && options.server !== undefined) {
    throw new UsageError('--staging and --server both name the CA', 'give one of them');
  }
  if (options.server !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.server);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:' || /[\s]/.test(options.server)) {
      throw new UsageError(
        `--server ${JSON.stringify(options.server)} is not an https:// ACME directory URL`,
        'e.g. --server https://acme.example.org/directory',
      );
    }
  }
  return {
    domain,
    ...(options.email !== undefined ? { email: options.email } : {}),
    ...(options.staging ? { staging: true } : {}),
    ...(options.server !== undefined ? { server: options.server } : {}),
  };
}

async function checkDns(ctx: CommandContext, domain: string): Promise<void> {
  const [resolved, own] = await Promise.all([
    rootNameservers(ctx.options.root).then((servers) => resolveAddresses(domain, servers)),
    ownAddresses(),
  ]);
  // A --root tree is a staging or test host whose DNS may well point at loopback; a real host's never should.
  const verdict = dnsVerdict(domain, resolved, own, { allowLocal: ctx.options.root !== '/' });
  if (!verdict.ok) throw new CinectlError(verdict.message, { hint: verdict.hint });
}

/**
 * A certificate from another CA (say --staging before, Let's Encrypt now) would be kept as it is, since certbot
 * is asked only while none exists: say so instead of reporting success with the wrong certificate.
 */
async function refuseOtherCa(root: string, request: CertificateRequest): Promise<void> {
  const renewal = hasIssuedCertificate(root, request.domain)
    ? await readHostFile(root, renewalConfPath(request.domain))
    : null;
  if (renewal === null) return;
  const issuer = renewalCa(renewal);
  const wanted = requestedCa(request);
  if (issuer === wanted) return;
  const name = certificateName(request.domain);
  throw new CinectlError(`${request.domain} already has a certificate from ${issuer}, not from ${wanted}`, {
    hint: `to change CA, delete it first (certbot delete --cert-name ${name}), then run install-ssl again`,
  });
}

export async function installSsl(ctx: CommandContext, input: string, options: InstallSslOptions): Promise<void> {
  const request = certificateRequest(input, options);
  const { domain } = request;
  const { root } = ctx.options;
  const { apps, broken } = await readRegistry(root);
  const app = apps.find((candidate) => candidate.domain === domain);
  if (!app) {
    throw new UsageError(
      `no app has the domain ${domain}`,
      `give it to an app first: cinectl set-domain ${domain} [APP]`,
    );
  }
  const nginxConf = await requireNginxConf(root);
  await refuseOtherCa(root, request);
  if (options.skipDnsCheck)
    ctx.warn(`warning: the DNS check is skipped; the CA is asked even if ${domain} does not point here`);
  else await checkDns(ctx, domain);

  let plan: ReturnType<typeof installSslPlan>;
  try {
    plan = installSslPlan({
      request,
      root,
      // The certificate exists by the time nginx is tested: the certbot step comes first, and a failure stops there.
      apps: apps.map((other) => nginxAppOf(root, other, other.name === app.name ? true : undefined)),
      nginxConf,
      nginx: nginxHost(root, broken),
    });
  } catch (error) {
    asHostError(error, 'fix the file named in the message and run install-ssl again');
  }
  warnBroken(ctx, broken);
  await applyPlan(ctx, plan);
  if (!ctx.options.dryRun)
    ctx.print(`https://${domain}/ serves ${app.name} with its certificate; certbot-renew.timer renews it.`);
}
