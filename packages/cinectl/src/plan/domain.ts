import { formatCommand } from '../host/root.ts';
import { render } from '../render.ts';
import { type DeployConfig, serializeDeployConfig } from '../state/deploy-config.ts';
import { daemonReload } from './argv.ts';
import { type CertificateRequest, certbotCertonly, hookReloadArgv } from './certbot.ts';
import { ACME_WEBROOT, appPaths, CERTBOT_BINARY, SYSTEMD_DIR } from './layout.ts';
import type { NginxApp, NginxHost } from './nginx.ts';
import { nginxCacheParentStep, nginxStep } from './nginx-step.ts';
import { pacmanInstall } from './packages.ts';
import {
  ACME_CHALLENGE_PATH,
  DEPLOY_HOOK,
  issuedFiles,
  PLACEHOLDER_DAYS,
  placeholderDir,
  placeholderFiles,
  RENEW_SERVICE,
  RENEW_TIMER,
} from './tls.ts';
import { type Arg, hostPath, type Plan, ROOT_OWNER, type Step } from './types.ts';

/** The site as nginx must serve it after the plan: every app, each domain with its HTTPS files. */
export interface NginxState {
  apps: NginxApp[];
  nginxConf: string;
  nginx: NginxHost;
}

export interface SetDomainInput extends NginxState {
  /** The app's registry entry with its new domain. */
  app: DeployConfig & { domain: string };
}

/** X.509 limits a common name to 64 characters; a longer domain is named by the subjectAltName alone. */
const MAX_COMMON_NAME = 64;

function placeholderSubject(domain: string): string {
  return domain.length <= MAX_COMMON_NAME ? `/CN=${domain}` : '/O=cinectl placeholder';
}

/** A self-signed certificate for the domain, so nginx can load its HTTPS server before install-ssl. */
export function placeholderArgv(domain: string): Arg[] {
  const files = placeholderFiles(domain);
  return [
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    String(PLACEHOLDER_DAYS),
    '-subj',
    placeholderSubject(domain),
    '-addext',
    `subjectAltName=DNS:${domain}`,
    '-keyout',
    hostPath(files.key),
    '-out',
    hostPath(files.certificate),
  ];
}

function webrootStep(): Step {
  return {
    kind: 'mkdir',
    title: `Create certbot's webroot ${ACME_WEBROOT}`,
    path: ACME_WEBROOT,
    mode: 0o755,
    owner: ROOT_OWNER,
  };
}

/**
 * set-domain: the ACME webroot, a self-signed placeholder (made once; openssl writes the key with mode 0600 into a
 * 0700 directory), nginx with the domain's HTTP and HTTPS servers (candidate → nginx -t → reload), and only then
 * the domain recorded in the app's .deploy_config — so a failure leaves the app registered as it was.
 */
export function setDomainPlan(input: SetDomainInput): Plan {
  const { app } = input;
  const { domain } = app;
  const placeholder = placeholderFiles(domain);
  return {
    title: `Serve ${app.name} at ${domain}`,
    steps: [
      webrootStep(),
      {
        kind: 'mkdir',
        title: `Create ${placeholderDir(domain)} for the placeholder certificate`,
        path: placeholderDir(domain),
        mode: 0o700,
        owner: ROOT_OWNER,
      },
      {
        kind: 'run',
        title: `Make a self-signed placeholder certificate for ${domain}`,
        argv: placeholderArgv(domain),
        unless: { kind: 'path-exists', path: placeholder.certificate },
      },
      nginxCacheParentStep(),
      nginxStep(
        { apps: input.apps, nginxConf: input.nginxConf, host: input.nginx },
        `Serve ${domain} in nginx (test with nginx -t, then reload)`,
      ),
      {
        kind: 'write',
        title: `Record ${domain} in ${appPaths(app.name).deployConfig}`,
        path: appPaths(app.name).deployConfig,
        content: serializeDeployConfig(app),
        mode: 0o644,
        owner: ROOT_OWNER,
      },
    ],
  };
}

export interface InstallSslInput extends NginxState {
  request: CertificateRequest;
  /** The --root directory ('/' on a host): certbot's directories and the deploy hook's reload depend on it. */
  root: string;
}

/** The renewal units: cinectl's own, so renewal works whether or not the certbot package ships a timer. */
export function renewalUnits(): { path: string; content: string }[] {
  return [
    {
      path: `${SYSTEMD_DIR}/${RENEW_SERVICE}`,
      content: render('certbot/certbot-renew.service.hbs', { certbot: CERTBOT_BINARY }),
    },
    { path: `${SYSTEMD_DIR}/${RENEW_TIMER}`, content: render('certbot/certbot-renew.timer.hbs', {}) },
  ];
}

export function deployHook(root: string): string {
  return render('certbot/deploy-hook.sh.hbs', { command: formatCommand(hookReloadArgv(root)) });
}

/**
 * install-ssl: certbot (installed when missing), the renewal timer and the deploy hook that reloads nginx, the
 * certificate (asked for only while it does not exist, so a second run changes nothing), then nginx with the
 * issued certificate: port 80 redirects, HSTS on. The apps in `input` must already show the domain as issued.
 */
export function installSslPlan(input: InstallSslInput): Plan {
  const { domain } = input.request;
  const issued = issuedFiles(domain);
  const units = renewalUnits();
  const steps: Step[] = [
    {
      kind: 'run',
      title: 'Install certbot',
      argv: pacmanInstall(['certbot'], input.root),
      unless: { kind: 'path-exists', path: CERTBOT_BINARY },
      timeoutMs: 600_000,
    },
    webrootStep(),
    {
      kind: 'write',
      title: `Write the deploy hook that reloads nginx after a renewal (${DEPLOY_HOOK})`,
      path: DEPLOY_HOOK,
      content: deployHook(input.root),
      mode: 0o755,
      owner: ROOT_OWNER,
    },
    ...units.map(
      (unit): Step => ({
        kind: 'write',
        id: 'renew-units',
        title: `Write ${unit.path}`,
        path: unit.path,
        content: unit.content,
        mode: 0o644,
        owner: ROOT_OWNER,
      }),
    ),
    { kind: 'run', title: 'Reload systemd', argv: daemonReload(), live: true, when: { changed: ['renew-units'] } },
    { kind: 'service', title: `Enable ${RENEW_TIMER}`, unit: RENEW_TIMER, action: 'enable' },
    { kind: 'service', title: `Start ${RENEW_TIMER}`, unit: RENEW_TIMER, action: 'start' },
    {
      kind: 'run',
      title: `Get a certificate for ${domain} (certbot, webroot challenge)`,
      argv: certbotCertonly(input.request, input.root),
      unless: { kind: 'path-exists', path: issued.certificate },
      timeoutMs: 300_000,
      hint: `the CA must reach http://${domain}${ACME_CHALLENGE_PATH} on port 80 of this server: check DNS and the firewall, and certbot's log in /var/log/letsencrypt/`,
    },
    nginxCacheParentStep(),
    nginxStep(
      { apps: input.apps, nginxConf: input.nginxConf, host: input.nginx },
      `Serve ${domain} with its certificate in nginx (test with nginx -t, then reload)`,
    ),
  ];
  return { title: `Install a certificate for ${domain}`, steps };
}
