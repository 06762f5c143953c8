import { render } from '../render.ts';
import { ROOT_OWNER, type Step } from './types.ts';

export const JOURNALD_DROP_IN = '/etc/systemd/journald.conf.d/cinectl.conf';
/** logrotate rotates nginx's logs with the file the nginx package ships (/etc/logrotate.d/nginx), daily. */
export const LOGROTATE_TIMER = 'logrotate.timer';

/**
 * journald bounded (1 GB, 2 GB kept free, a month), restarted when that changed; logrotate's timer, when the
 * logrotate package installed it, enabled for nginx's logs.
 */
export function boundedLogSteps(logrotateTimer: boolean): Step[] {
  return [
    {
      kind: 'write',
      id: 'journald',
      title: `Bound the journal's size and age in ${JOURNALD_DROP_IN}`,
      path: JOURNALD_DROP_IN,
      content: render('journald/cinectl.conf.hbs', { maxUse: '1G', keepFree: '2G', retention: '1month' }),
      mode: 0o644,
      owner: ROOT_OWNER,
    },
    {
      kind: 'run',
      title: 'Restart systemd-journald with the bounds',
      argv: ['systemctl', 'restart', 'systemd-journald.service'],
      live: true,
      when: { changed: ['journald'] },
    },
    ...(logrotateTimer
      ? ([
          {
            kind: 'service',
            title: `Enable ${LOGROTATE_TIMER} (nginx's logs rotated daily)`,
            unit: LOGROTATE_TIMER,
            action: 'enable',
          },
          { kind: 'service', title: `Start ${LOGROTATE_TIMER}`, unit: LOGROTATE_TIMER, action: 'start' },
        ] satisfies Step[])
      : []),
  ];
}
