import { createHash } from 'node:crypto';
import type { MemberAccountState } from './member-account-index';
import { randomMemberAccountFailure } from './member-account-errors';
import { DEFAULT_FIRST_ACCOUNT_ID, SCENARIO_DEFAULT_TIME, type ScenarioGenerate } from './scenario';
import { pickWeighted, seededRandom } from './seeded-random';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/** Formats an account number as AWS does: always 12 digits, leading zeros kept. */
export function formatAccountId(accountNumber: number): string {
  return String(accountNumber).padStart(12, '0');
}

/**
 * Synthetic member accounts for a scenario's `generate` block, in ascending ID order. The
 * PRNG seed is mixed with region and pack name, so 50 packs sharing one seed still fail in
 * different accounts, while every run of the scenario produces the very same organization.
 */
export function generateMemberAccounts(
  spec: ScenarioGenerate,
  context: { readonly region: string; readonly packName: string },
): MemberAccountState[] {
  const random = seededRandom(mixSeed(spec.seed ?? 1, context.region, context.packName));
  const first = spec.firstAccountId ?? DEFAULT_FIRST_ACCOUNT_ID;
  const newest = Date.parse(SCENARIO_DEFAULT_TIME);
  const inProgressRate = spec.inProgressRate ?? 0;
  const accounts: MemberAccountState[] = new Array(spec.accounts);
  for (let index = 0; index < spec.accounts; index += 1) {
    const accountId = formatAccountId(first + index);
    const lastUpdateTime = newest - Math.floor(random() * THIRTY_DAYS_MS);
    const roll = random();
    if (roll < spec.failureRate) {
      const failure = randomMemberAccountFailure(random, { accountId, ...context });
      accounts[index] = { accountId, lastUpdateTime, ...failure };
    } else if (roll < spec.failureRate + inProgressRate) {
      accounts[index] = { accountId, lastUpdateTime, status: random() < 0.5 ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS' };
    } else {
      const status = pickWeighted(random, [
        ['CREATE_SUCCESSFUL', 3],
        ['UPDATE_SUCCESSFUL', 1],
      ] as const);
      accounts[index] = { accountId, lastUpdateTime, status };
    }
  }
  return accounts;
}

function mixSeed(seed: number, region: string, packName: string): number {
  return createHash('sha256').update(`${seed}:${region}:${packName}`).digest().readUInt32BE(0);
}
