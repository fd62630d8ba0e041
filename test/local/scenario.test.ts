import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_PACK_STATUSES } from '../../local/conformance-pack-statuses';
import { builtInScenarioPath, loadBuiltInScenario, loadScenario, ScenarioError, validateScenario } from '../../local/scenario';
import { generateMemberAccounts } from '../../local/synthetic-accounts';
import { Organization } from '../../local/organization-model';

const valid = {
  name: 'ok',
  regions: { 'us-east-1': { packs: [{ name: 'pack-a', accounts: [{ accountId: '000123456789', status: 'CREATE_FAILED' }] }] } },
};

/** A copy of `valid` with one change made by `edit`. */
function variant(edit: (scenario: any) => void): unknown {
  const copy = structuredClone(valid) as any;
  edit(copy);
  return copy;
}

const packsAt = 'regions["us-east-1"].packs';

describe('scenario validation', () => {
  it.each([
    ['a missing name', (s: any) => {
      delete s.name;
    }, 'name', 'must be a non-empty string'],
    ['an unknown top-level field', (s: any) => (s.regoins = {}), 'regoins', 'unknown field'],
    ['no regions', (s: any) => (s.regions = {}), 'regions', 'at least one region'],
    ['a bad region name', (s: any) => (s.regions = { 'us-east': { packs: [] } }), 'regions["us-east"]', 'AWS region'],
    ['packs not an array', (s: any) => (s.regions['us-east-1'].packs = {}), packsAt, 'must be an array'],
    ['a pack name off the API pattern', (s: any) => (s.regions['us-east-1'].packs[0].name = 'pack_a'), `${packsAt}[0].name`, '[a-zA-Z][-a-zA-Z0-9]*'],
    ['a pack name over 128 characters', (s: any) => (s.regions['us-east-1'].packs[0].name = 'a'.repeat(129)), `${packsAt}[0].name`, 'at most 128'],
    [
      'a duplicate pack',
      (s: any) => {
        s.regions['us-east-1'].packs.push({ name: 'pack-a' });
      },
      `${packsAt}[1].name`,
      'duplicate pack',
    ],
    ['a numeric account ID', (s: any) => (s.regions['us-east-1'].packs[0].accounts[0].accountId = 123456789), `${packsAt}[0].accounts[0].accountId`, 'non-empty string'],
    ['a short account ID', (s: any) => (s.regions['us-east-1'].packs[0].accounts[0].accountId = '123456789'), `${packsAt}[0].accounts[0].accountId`, '12 digits'],
    ['an unknown status', (s: any) => (s.regions['us-east-1'].packs[0].accounts[0].status = 'FAILED'), `${packsAt}[0].accounts[0].status`, 'must be one of'],
    [
      'a duplicate account',
      (s: any) => {
        s.regions['us-east-1'].packs[0].accounts.push({ accountId: '000123456789', status: 'CREATE_SUCCESSFUL' });
      },
      `${packsAt}[0].accounts[1].accountId`,
      'duplicate account',
    ],
    ['a bad lastUpdateTime', (s: any) => (s.regions['us-east-1'].packs[0].accounts[0].lastUpdateTime = 'yesterday'), `${packsAt}[0].accounts[0].lastUpdateTime`, 'ISO-8601'],
    ['a failureRate above 1', (s: any) => (s.regions['us-east-1'].packs[0].generate = { accounts: 10, failureRate: 1.5 }), `${packsAt}[0].generate.failureRate`, 'between 0 and 1'],
    ['fractional accounts', (s: any) => (s.regions['us-east-1'].packs[0].generate = { accounts: 2.5, failureRate: 0 }), `${packsAt}[0].generate.accounts`, 'integer'],
    ['a misspelt generate field', (s: any) => (s.regions['us-east-1'].packs[0].generate = { accounts: 1, failureRatio: 0 }), `${packsAt}[0].generate.failureRatio`, 'unknown field'],
    [
      'account IDs past 12 digits',
      (s: any) => {
        s.regions['us-east-1'].packs[0].generate = { accounts: 10, failureRate: 0, firstAccountId: 999999999995 };
      },
      `${packsAt}[0].generate.accounts`,
      'runs past',
    ],
    ['a bad summaryStatus', (s: any) => (s.regions['us-east-1'].packs[0].summaryStatus = 'STUCK'), `${packsAt}[0].summaryStatus`, 'must be one of'],
    ['a bad fault', (s: any) => (s.faults = { throttleRate: -0.1 }), 'faults.throttleRate', 'between 0 and 1'],
    ['an unknown fault', (s: any) => (s.faults = { throttle: 0.1 }), 'faults.throttle', 'unknown field'],
  ])('rejects %s, naming the field', (_label, edit, field, problem) => {
    let error: unknown;
    try {
      validateScenario(variant(edit));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).field).toBe(field);
    expect((error as ScenarioError).message).toContain(problem);
  });

  it('rejects a scenario that is not an object', () => {
    expect(() => validateScenario(42)).toThrow('scenario (root): must be an object, got 42');
  });

  it('accepts a valid scenario and keeps account IDs as strings', () => {
    const scenario = validateScenario(valid);
    expect(scenario.regions['us-east-1']!.packs[0]!.accounts![0]!.accountId).toBe('000123456789');
  });
});

describe('loadScenario', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'packwatch-scenario-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('names the file and the field when a scenario file is invalid', () => {
    const file = path.join(directory, 'bad.json');
    writeFileSync(file, JSON.stringify(variant((s: any) => (s.regions['us-east-1'].packs[0].accounts[0].accountId = '42'))));
    expect(() => loadScenario(file)).toThrow(`${file}: ${packsAt}[0].accounts[0].accountId: must match 12 digits`);
  });

  it('names the file when it is not JSON or cannot be read', () => {
    const file = path.join(directory, 'broken.json');
    writeFileSync(file, '{ "name": ');
    expect(() => loadScenario(file)).toThrow(new RegExp(`scenario file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`));
    expect(() => loadScenario(path.join(directory, 'missing.json'))).toThrow(/cannot read scenario file .*missing\.json/);
  });

  it('loads the three built-in scenarios', () => {
    const demo = loadBuiltInScenario('demo');
    expect(Object.keys(demo.regions)).toEqual(['us-east-1', 'eu-west-1']);
    const demoPacks = Object.values(demo.regions).flatMap((region) => region.packs);
    expect(demoPacks).toHaveLength(4);
    const demoAccounts = demoPacks.flatMap((pack) => pack.accounts ?? []);
    expect(demoAccounts.length).toBeGreaterThanOrEqual(35);
    expect(demoAccounts.filter((account) => account.status.endsWith('_FAILED')).length).toBeGreaterThanOrEqual(4);

    const large = loadBuiltInScenario('large');
    expect(large.regions['us-east-1']!.packs).toHaveLength(50);
    expect(large.regions['us-east-1']!.packs.every((pack) => pack.generate?.accounts === 10_000 && pack.generate.failureRate === 0.001)).toBe(true);

    const throttled = loadBuiltInScenario('throttled');
    expect(throttled.faults).toMatchObject({ rateLimitPerSecond: expect.any(Number), throttleRate: 0.3 });
    expect(builtInScenarioPath('demo')).toMatch(/local[/\\]scenarios[/\\]demo\.json$/);
  });
});

describe('generated member accounts', () => {
  it('are deterministic, ascending, 12-digit, and fail at about the requested rate with realistic errors', () => {
    const spec = { accounts: 20_000, failureRate: 0.05, seed: 9, firstAccountId: 42 };
    const accounts = generateMemberAccounts(spec, { region: 'us-east-1', packName: 'pack-a' });
    expect(generateMemberAccounts(spec, { region: 'us-east-1', packName: 'pack-a' })).toEqual(accounts);
    expect(accounts[0]!.accountId).toBe('000000000042');
    expect(accounts.every((account) => /^\d{12}$/.test(account.accountId))).toBe(true);
    const failed = accounts.filter((account) => account.status.endsWith('_FAILED'));
    expect(failed.length / accounts.length).toBeGreaterThan(0.04);
    expect(failed.length / accounts.length).toBeLessThan(0.06);
    expect(new Set(failed.map((account) => account.status))).toEqual(new Set(['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED']));
    expect(failed.every((account) => account.errorCode && account.errorMessage)).toBe(true);
    expect(failed.some((account) => account.errorMessage!.includes('AWSServiceRoleForConfigMultiAccountSetup'))).toBe(true);
    expect(accounts.every((account) => (CONFORMANCE_PACK_STATUSES as readonly string[]).includes(account.status))).toBe(true);
    // Another pack with the same seed fails in other accounts.
    const other = generateMemberAccounts(spec, { region: 'us-east-1', packName: 'pack-b' });
    expect(other.map((account) => account.status)).not.toEqual(accounts.map((account) => account.status));
  });

  it('are overridden by explicit accounts with the same ID', () => {
    const organization = Organization.fromScenario(
      validateScenario({
        name: 'override',
        regions: {
          'us-east-1': {
            packs: [
              {
                name: 'pack-a',
                generate: { accounts: 5, failureRate: 0, firstAccountId: 1 },
                accounts: [{ accountId: '000000000003', status: 'UPDATE_FAILED', errorCode: 'E', errorMessage: 'explicit' }],
              },
            ],
          },
        },
      }),
    );
    const accounts = organization.pack('us-east-1', 'pack-a')!.accounts.list();
    expect(accounts.map((account) => account.accountId)).toEqual(['000000000001', '000000000002', '000000000003', '000000000004', '000000000005']);
    expect(accounts[2]).toMatchObject({ status: 'UPDATE_FAILED', errorMessage: 'explicit' });
  });
});
