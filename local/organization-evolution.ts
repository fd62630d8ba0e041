import { isFailedStatus } from '../lambda/domain/deployment-status.js';
import type { ConfigSimulator, MemberAccount } from './config-simulator.js';

export interface Evolution {
  readonly kind: 'new failure' | 'changed failure' | 'recovery';
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Changes the organization the way real life does between two sweeps: one healthy account starts
 * failing, one failing account fails differently, one failing account recovers. Deterministic: it
 * takes the first candidates in region, pack and account order. A kind with no candidate is skipped.
 */
export function evolveOrganization(simulator: ConfigSimulator, regions: readonly string[], now: Date): Evolution[] {
  const candidates = regions.flatMap((region) =>
    simulator.listPacks(region).flatMap((conformancePack) =>
      simulator.listAccounts(region, conformancePack).map((account) => ({ region, conformancePack, account })),
    ),
  );
  const healthy = candidates.filter(({ account }) => account.status.endsWith('_SUCCESSFUL'));
  const failing = candidates.filter(({ account }) => isFailedStatus(account.status));
  const evolutions: Evolution[] = [];
  const apply = (kind: Evolution['kind'], target: (typeof candidates)[number] | undefined, next: Omit<MemberAccount, 'accountId'>) => {
    if (!target) return;
    simulator.setAccount(target.region, target.conformancePack, { accountId: target.account.accountId, ...next, lastUpdateTime: now });
    evolutions.push({ kind, region: target.region, conformancePack: target.conformancePack, accountId: target.account.accountId, from: target.account.status, to: next.status });
  };

  apply('new failure', healthy[0], {
    status: 'UPDATE_FAILED',
    errorCode: 'ValidationException',
    errorMessage: 'Parameter MaxPasswordAge failed to satisfy constraint: Member must have value less than or equal to 1095',
  });
  const changing = failing[0];
  apply('changed failure', changing, {
    status: changing?.account.status === 'DELETE_FAILED' ? 'UPDATE_FAILED' : 'DELETE_FAILED',
    errorCode: 'ResourceInUseException',
    errorMessage: 'The conformance pack cannot be deleted while AWS Config is evaluating its rules. Retry later.',
  });
  apply('recovery', failing[1], { status: 'UPDATE_SUCCESSFUL' });
  return evolutions;
}
