import type { AccountDeployment } from './types.js';

/**
 * One deployment per account. An account can move between statuses while its pack is read, and so be
 * reported twice: the newest report wins (the first one on a tie).
 */
export function newestPerAccount(deployments: Iterable<AccountDeployment>): Map<string, AccountDeployment> {
  const byAccount = new Map<string, AccountDeployment>();
  for (const deployment of deployments) {
    const known = byAccount.get(deployment.accountId);
    if (!known || (deployment.lastUpdateTime ?? '') > (known.lastUpdateTime ?? '')) byAccount.set(deployment.accountId, deployment);
  }
  return byAccount;
}
