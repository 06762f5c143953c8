/** A system account name as useradd takes it, and as it may appear in a sudoers file or a unit's User=. */
export const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function isAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}
