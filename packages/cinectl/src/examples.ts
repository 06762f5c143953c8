/** One example per command, shown at the end of its --help. */
export const EXAMPLES: Record<string, string[]> = {
  'init-server': ['sudo cinectl init-server', 'sudo cinectl --dry-run init-server --source /opt/cinestream'],
  'uninit-server': ['sudo cinectl uninit-server', 'sudo cinectl uninit-server yes --purge-data'],
  'deploy-app': ['sudo cinectl deploy-app films --source /opt/cinestream --workers 4'],
  releases: ['cinectl releases films'],
  rollback: ['sudo cinectl rollback films', 'sudo cinectl rollback films 20250314T091500Z'],
  'remove-app': ['sudo cinectl remove-app films', 'sudo cinectl --yes remove-app films --purge'],
  logs: ['cinectl logs films --since -1h', 'cinectl logs films --worker 8013 --follow', 'cinectl logs films --nginx'],
  restart: ['sudo cinectl restart films'],
  start: ['sudo cinectl start films'],
  stop: ['sudo cinectl stop films'],
  backup: ['sudo cinectl backup films', 'sudo cinectl backup films --to /srv/backups --keep 30'],
  restore: ['sudo cinectl restore films /var/backups/cinestream/films/films-20250314T091500Z.db'],
  env: [
    'sudo cinectl env films',
    'sudo cinectl env films set GEMINI_MODEL=pro DONATE_URL=https://example.com/donate',
    'sudo cinectl env films unset DONATE_URL',
  ],
  'set-domain': ['sudo cinectl set-domain films.example.com films'],
  'install-ssl': ['sudo cinectl install-ssl films.example.com --email ops@example.com'],
  status: ['cinectl status', 'cinectl status --json'],
  'start-all': ['sudo cinectl start-all'],
  'stop-all': ['sudo cinectl stop-all'],
  'enable-autostart': ['sudo cinectl enable-autostart'],
};

export function examplesHelp(command: string): string {
  const lines = EXAMPLES[command] ?? [];
  return lines.length === 0
    ? ''
    : `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
