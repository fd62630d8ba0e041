import { createHash } from 'node:crypto';
import { FAILED_STATUSES } from './conformance-pack-statuses';
import { MemberAccountIndex, type MemberAccountState } from './member-account-index';
import { DEFAULT_MANAGEMENT_ACCOUNT_ID, SCENARIO_DEFAULT_TIME, type Scenario, type ScenarioPack } from './scenario';
import { generateMemberAccounts } from './synthetic-accounts';

/** One organization conformance pack, deployed from the calling account into one region. */
export class OrganizationPack {
  readonly arn: string;
  /** The name of the pack's copy inside each member account: OrgConformsPack-<name>-<suffix>. */
  readonly memberPackName: string;
  readonly deliveryS3Bucket: string;
  lastUpdateTime: number;
  /** Overrides the computed DescribeOrganizationConformancePackStatuses answer. */
  summaryStatus: string | undefined;
  private index: MemberAccountIndex | undefined;
  private seedAccounts: (() => MemberAccountState[]) | undefined;

  constructor(
    readonly region: string,
    readonly name: string,
    managementAccountId: string,
    options: { lastUpdateTime?: number; summaryStatus?: string; seedAccounts?: () => MemberAccountState[] } = {},
  ) {
    const suffix = createHash('sha256').update(`${region}/${name}`).digest('hex').slice(0, 8);
    this.arn = `arn:aws:config:${region}:${managementAccountId}:organization-conformance-pack/${name}-${suffix}`;
    this.memberPackName = `OrgConformsPack-${name}-${suffix}`;
    this.deliveryS3Bucket = `awsconfigconforms-packwatch-${region}`;
    this.lastUpdateTime = options.lastUpdateTime ?? Date.parse(SCENARIO_DEFAULT_TIME);
    this.summaryStatus = options.summaryStatus;
    this.seedAccounts = options.seedAccounts;
  }

  /** Built on first use: a 50 × 10,000 scenario starts instantly and pays only for packs read. */
  get accounts(): MemberAccountIndex {
    if (!this.index) {
      this.index = new MemberAccountIndex();
      for (const account of this.seedAccounts?.() ?? []) this.index.upsert(account);
      this.seedAccounts = undefined;
    }
    return this.index;
  }

  /** The summary AWS gives: a failure if any member account failed, else in progress if any is, else the pack's own status. */
  summary(): { status: string; errorCode?: string; errorMessage?: string } {
    if (this.summaryStatus !== undefined) return { status: this.summaryStatus };
    for (const status of FAILED_STATUSES) {
      const failing = this.accounts.countWithStatus(status);
      if (failing > 0) {
        return {
          status,
          errorCode: 'OrganizationConformancePackDeploymentFailed',
          errorMessage: `The conformance pack failed to deploy to ${failing} member account(s) with status ${status}. Call GetOrganizationConformancePackDetailedStatus for details.`,
        };
      }
    }
    for (const status of ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS'] as const) {
      if (this.accounts.countWithStatus(status) > 0) return { status };
    }
    return { status: 'CREATE_SUCCESSFUL' };
  }
}

/**
 * The emulated organization: per region, the packs deployed from the calling account, each
 * with its member accounts. Packs are regional, as in AWS.
 */
export class Organization {
  private readonly regions = new Map<string, Map<string, OrganizationPack>>();

  constructor(readonly managementAccountId: string = DEFAULT_MANAGEMENT_ACCOUNT_ID) {}

  static fromScenario(scenario: Scenario): Organization {
    const organization = new Organization(scenario.managementAccountId);
    for (const [region, { packs }] of Object.entries(scenario.regions)) {
      for (const pack of packs) organization.insertPack(region, pack);
    }
    return organization;
  }

  /** Region names known to the scenario or touched since, in insertion order. */
  regionNames(): string[] {
    return [...this.regions.keys()];
  }

  /** The packs of a region, sorted by name (the order pages are served in). */
  packs(region: string): OrganizationPack[] {
    return [...(this.regions.get(region)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  pack(region: string, name: string): OrganizationPack | undefined {
    return this.regions.get(region)?.get(name);
  }

  addPack(region: string, name: string, options: { summaryStatus?: string; lastUpdateTime?: number } = {}): OrganizationPack {
    if (this.pack(region, name)) throw new Error(`organization conformance pack ${name} already exists in ${region}`);
    const pack = new OrganizationPack(region, name, this.managementAccountId, options);
    this.regionPacks(region).set(name, pack);
    return pack;
  }

  removePack(region: string, name: string): boolean {
    return this.regions.get(region)?.delete(name) ?? false;
  }

  private insertPack(region: string, spec: ScenarioPack): void {
    const seedAccounts = (): MemberAccountState[] => {
      const generated = spec.generate ? generateMemberAccounts(spec.generate, { region, packName: spec.name }) : [];
      const defaultTime = Date.parse(SCENARIO_DEFAULT_TIME);
      // Explicit accounts come last so the index's upsert lets them replace generated ones.
      const explicit = (spec.accounts ?? []).map(
        (account): MemberAccountState => ({
          accountId: account.accountId,
          status: account.status,
          ...(account.errorCode !== undefined && { errorCode: account.errorCode }),
          ...(account.errorMessage !== undefined && { errorMessage: account.errorMessage }),
          lastUpdateTime: account.lastUpdateTime !== undefined ? Date.parse(account.lastUpdateTime) : defaultTime,
        }),
      );
      return [...generated, ...explicit];
    };
    const pack = new OrganizationPack(region, spec.name, this.managementAccountId, {
      ...(spec.lastUpdateTime !== undefined && { lastUpdateTime: Date.parse(spec.lastUpdateTime) }),
      ...(spec.summaryStatus !== undefined && { summaryStatus: spec.summaryStatus }),
      seedAccounts,
    });
    this.regionPacks(region).set(spec.name, pack);
  }

  private regionPacks(region: string): Map<string, OrganizationPack> {
    let packs = this.regions.get(region);
    if (!packs) {
      packs = new Map();
      this.regions.set(region, packs);
    }
    return packs;
  }
}
