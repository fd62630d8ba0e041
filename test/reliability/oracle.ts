import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import { isInProgressStatus, type DeploymentStatus } from '../../lambda/domain/deployment-status.js';
import type { Change, ChangeKind, FailureRecord } from '../../lambda/domain/types.js';
import { keyOf, packKeyOf, type TrueOrganization } from './organization.js';

/** What one sweep read about one account, and where the account stood in its true history at that moment. */
export interface Observed {
  /** Reads are numbered in the order they happened. */
  readonly order: number;
  /** null: AWS no longer reports the account for the pack. */
  readonly status: DeploymentStatus | null;
  readonly errorCode: string | null;
  readonly failing: boolean;
  /** The account's true failure-episode index at the read (see EpisodeState). */
  readonly episode: number;
}

/** What the oracle needs to know about one invocation. */
export interface RunView {
  readonly index: number;
  readonly id: string;
  /** Per pack (packKeyOf) whose failing-accounts listing succeeded: the accounts it listed. Truth at that call. */
  readonly listings: ReadonlyMap<string, ReadonlyMap<string, Observed>>;
  /** Per pack whose in-progress listing succeeded (stuck alerts on): the accounts it listed. Truth at that call. */
  readonly inProgressListings: ReadonlyMap<string, ReadonlyMap<string, Observed>>;
  /** Per account (keyOf) rechecked successfully: what the recheck returned. Truth at that call. */
  readonly rechecks: ReadonlyMap<string, Observed>;
  /** Packs whose failing accounts were listed but whose read then failed (the in-progress listing). */
  readonly incompletePacks: ReadonlySet<string>;
}

/** One change, as a subscriber received it: in a message SNS accepted. */
export interface AlertEvent {
  readonly seq: number;
  readonly run: string;
  readonly sweep: number;
  readonly kind: ChangeKind;
  readonly key: string;
  readonly status: string | null;
  readonly errorCode: string | null;
  /** generatedAt of the digest, in ms. */
  readonly at: number;
  /** True episode of the account when the sweep read it (the read the change was derived from). */
  readonly episode: number;
  /** Sent again from an earlier sweep's unconfirmed stage. */
  readonly resent: boolean;
  /** Told subscribers nothing new (a duplicate or a repeat). */
  repeated: boolean;
}

/** A fault between a state write and a publish (in either order): it may explain one repeat, once. */
interface Token {
  /**
   * published: SNS accepted the change, its state write (confirmation) did not happen.
   * staged: the change was written ahead of its publish, and the publish never happened in that run.
   */
  readonly source: 'published' | 'staged';
  readonly kind: ChangeKind;
  readonly episode: number;
  consumed: boolean;
}

const FAILURE_KINDS: ReadonlySet<ChangeKind> = new Set(['NEW_FAILURE', 'CHANGED_FAILURE', 'REMINDER']);

export interface OracleFigures {
  /** (account, episode) pairs failing at a complete read of a successful sweep and not alerted for that episode. */
  lost: number;
  /** (account, episode, status, code) seen failing by a successful sweep while the last alert said another failed status or code. */
  stale: number;
  /** RECOVERED for an account that was failing when the sweep read it. */
  falseRecoveries: number;
  /** RECOVERED without a successful read of the account in that sweep (a design-rule breach even if it happened to be true). */
  unreadRecoveries: number;
  /** Failure alerts that do not match what the sweep read (status, code, or the account was not seen failing). */
  alertsNotMatchingRead: number;
  /** NEW_FAILURE sent again within the same true episode. */
  duplicates: number;
  unexplainedDuplicates: number;
  /** Other alerts that told nothing new: CHANGED_FAILURE to the status and code last alerted in the episode, REMINDER before its interval, RECOVERED after RECOVERED. */
  repeats: number;
  unexplainedRepeats: number;
  /** Of the repeats: REMINDERs sent before their interval since the last alert that was news. */
  earlyReminders: number;
  /** Of the unexplained repeats: early REMINDERs. */
  unexplainedEarlyReminders: number;
  /** Changes written ahead of their publish whose publish never happened in that run (SNS refused, the run failed first). */
  stagedUnsent: number;
  /** Changes SNS accepted whose state write did not happen (crash, failed write, lost acknowledgement). */
  unrecordedChanges: number;
  /** The NEW_FAILURE ones among them: each may explain one duplicate. */
  allowedDuplicates: number;
  /** Episodes accepted because the operator was alerted in an earlier episode and never told it ended (a recovery no sweep could tell). */
  unseenRecoveries: number;
  /** Staged changes an earlier sweep never confirmed, sent again by a later one (judged by the staging sweep's read). */
  resent: number;
  /** Of those, RECOVERED sent again while the account was failing again (a later sweep could not read it to know). */
  lateRecoveries: number;
  /** (account, episode) pairs checked at least once. */
  episodesChecked: number;
  /** Account checks done after successful sweeps. */
  checks: number;
}

/**
 * Knows the true history (through the organization) and every alert that reached subscribers, and
 * judges each sweep. See randomized-faults.test.ts for the definitions it enforces.
 */
export class Oracle {
  readonly figures: OracleFigures = {
    lost: 0,
    stale: 0,
    falseRecoveries: 0,
    unreadRecoveries: 0,
    alertsNotMatchingRead: 0,
    duplicates: 0,
    unexplainedDuplicates: 0,
    repeats: 0,
    unexplainedRepeats: 0,
    unrecordedChanges: 0,
    allowedDuplicates: 0,
    earlyReminders: 0,
    unexplainedEarlyReminders: 0,
    stagedUnsent: 0,
    unseenRecoveries: 0,
    resent: 0,
    lateRecoveries: 0,
    episodesChecked: 0,
    checks: 0,
  };
  readonly violations: string[] = [];
  /** Problems the oracle notes but does not fail on (see `stale`). */
  readonly notes: string[] = [];
  private seq = 0;
  private readonly byKey = new Map<string, AlertEvent[]>();
  private readonly tokens = new Map<string, Token[]>();
  private readonly lostSeen = new Set<string>();
  private readonly staleSeen = new Set<string>();
  private readonly unseenSeen = new Set<string>();
  private readonly checkedEpisodes = new Set<string>();

  constructor(
    private readonly org: TrueOrganization,
    private readonly reminderIntervalMs: number,
    /** Describes a run for violation messages (its outcome, faults). */
    private readonly describeRun: (runId: string) => string,
    /** Also fail on repeats no fault explains and on stale statuses (beyond what issue 5 asks). */
    private readonly strict = false,
  ) {}

  violation(message: string): void {
    this.violations.push(message);
  }

  /** What the run read that a change about the account rests on. */
  readFor(run: RunView, change: Pick<Change, 'kind' | 'region' | 'conformancePack' | 'accountId'>): Observed | undefined {
    const packKey = packKeyOf(change.region, change.conformancePack);
    const recheck = run.rechecks.get(keyOf(change.region, change.conformancePack, change.accountId));
    const listed = run.listings.get(packKey)?.get(change.accountId);
    const inProgress = run.inProgressListings.get(packKey)?.get(change.accountId);
    // A recovery rests on a recheck of the account, or on the listing of accounts in progress.
    if (change.kind === 'RECOVERED') return recheck ?? inProgress;
    if (change.kind === 'STUCK') return inProgress ?? recheck;
    return recheck ?? listed;
  }

  /**
   * A message SNS accepted: judges each change as it reaches subscribers. A change an earlier sweep
   * staged and never confirmed, sent again, is judged by what that sweep read.
   */
  onPublish(run: RunView, document: AlertDocument, staged: ReadonlyMap<string, { readonly change: Change; readonly run: string; readonly read: Observed | undefined }>): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const change of document.changes) {
      const key = keyOf(change.region, change.conformancePack, change.accountId);
      const earlier = staged.get(key);
      const resent = earlier !== undefined && earlier.run !== run.id && sameChange(earlier.change, change);
      if (resent) this.figures.resent += 1;
      const read = resent ? earlier.read : this.readFor(run, change);
      const recheck = change.kind === 'RECOVERED' ? read : undefined;
      const listed = run.listings.get(packKeyOf(change.region, change.conformancePack))?.get(change.accountId);
      const history = this.byKey.get(key) ?? [];
      const event: AlertEvent = {
        seq: ++this.seq,
        run: run.id,
        sweep: run.index,
        kind: change.kind,
        key,
        status: change.status,
        errorCode: change.errorCode,
        at: Date.parse(document.generatedAt),
        episode: read?.episode ?? this.org.episode(key).index,
        resent,
        repeated: false,
      };
      const where = `sweep #${run.index} (${run.id}) at ${document.generatedAt.slice(5, 16)} ${change.kind}${resent ? ' (resent)' : ''} ${key}`;
      if (change.kind === 'RECOVERED') {
        if (!recheck) {
          this.figures.unreadRecoveries += 1;
          this.violation(`RECOVERED without a read of the account: ${where}; ${this.history(key)}`);
        }
        const failingAtRead = recheck?.failing ?? listed?.failing ?? this.org.episode(key).failing;
        if (resent && !failingAtRead && this.org.episode(key).failing) this.figures.lateRecoveries += 1;
        if (failingAtRead) {
          this.figures.falseRecoveries += 1;
          this.violation(`false recovery: ${where} while it was ${recheck?.status ?? listed?.status ?? 'failing'} at the sweep's read; ${this.history(key)}`);
        }
        if (history.at(-1)?.kind === 'RECOVERED') this.repeat(event, where, () => true);
      } else if (FAILURE_KINDS.has(change.kind)) {
        if (!read?.failing || read.status !== change.status || read.errorCode !== change.errorCode) {
          this.figures.alertsNotMatchingRead += 1;
          this.violation(`alert does not match the sweep's read: ${where} says ${change.status}/${change.errorCode}, read ${read ? `${read.status}/${read.errorCode}` : 'nothing'}`);
        }
        const sameEpisode = history.filter((earlier) => earlier.episode === event.episode && FAILURE_KINDS.has(earlier.kind));
        // What subscribers were last told that was news (a repeat does not restart the reminder interval).
        const lastInEpisode = sameEpisode.filter((earlier) => !earlier.repeated).at(-1);
        const anyToken = () => true;
        if (change.kind === 'NEW_FAILURE' && sameEpisode.some((earlier) => earlier.kind === 'NEW_FAILURE')) {
          this.figures.duplicates += 1;
          event.repeated = true;
          if (!this.consume(key, (token) => token.source === 'published' && token.kind === 'NEW_FAILURE' && token.episode === event.episode)) {
            this.figures.unexplainedDuplicates += 1;
            this.violation(`duplicate NEW_FAILURE with no unrecorded alert to explain it: ${where} episode ${event.episode}; ${this.history(key)}`);
          }
        } else if (change.kind === 'CHANGED_FAILURE' && lastInEpisode && lastInEpisode.status === event.status && lastInEpisode.errorCode === event.errorCode) {
          this.repeat(event, where, anyToken);
        } else if (change.kind === 'REMINDER' && lastInEpisode && event.at - lastInEpisode.at < this.reminderIntervalMs) {
          this.repeat(event, where, anyToken, true);
        }
      }
      history.push(event);
      this.byKey.set(key, history);
      events.push(event);
    }
    return events;
  }

  /** SNS accepted these changes but their state was not written. */
  unrecorded(events: readonly AlertEvent[]): void {
    for (const event of events) {
      this.addToken(event.key, { source: 'published', kind: event.kind, episode: event.episode, consumed: false });
      this.figures.unrecordedChanges += 1;
      if (event.kind === 'NEW_FAILURE') this.figures.allowedDuplicates += 1;
    }
  }

  /** A run ended with these changes staged (written ahead) and never published: the next alert about them may repeat one. */
  unsent(changes: readonly { readonly key: string; readonly kind: ChangeKind; readonly episode: number }[]): void {
    for (const change of changes) {
      this.addToken(change.key, { source: 'staged', kind: change.kind, episode: change.episode, consumed: false });
      this.figures.stagedUnsent += 1;
    }
  }

  private addToken(key: string, token: Token): void {
    const tokens = this.tokens.get(key) ?? [];
    tokens.push(token);
    this.tokens.set(key, tokens);
  }

  /** A state write confirming the key was applied: earlier unrecorded alerts can no longer explain a repeat. */
  recorded(key: string): void {
    this.tokens.delete(key);
  }

  /**
   * After a sweep that completed: every account that a successful failing-accounts listing of this
   * sweep showed failing must have been alerted for its current episode, in its current status.
   */
  checkAfterSuccess(run: RunView): void {
    for (const [packKey, listed] of run.listings) {
      const [region, pack] = packKey.split('|') as [string, string];
      // Deleted mid-sweep, or an account that left: out of scope. A pack whose read failed after the listing: not read.
      if (!this.org.hasPack(region, pack) || run.incompletePacks.has(packKey)) continue;
      for (const [accountId, listedAs] of listed) {
        if (!this.org.isMember(accountId)) continue;
        const key = keyOf(region, pack, accountId);
        // The sweep's last word on the account: it may have moved between the failing listing and a later read.
        const later = [run.inProgressListings.get(packKey)?.get(accountId), run.rechecks.get(key)].filter((read): read is Observed => read !== undefined && read.order > listedAs.order);
        const seen = later.reduce((latest, read) => (read.order > latest.order ? read : latest), listedAs);
        if (!seen.failing) continue;
        const episodeId = `${key}#${seen.episode}`;
        this.figures.checks += 1;
        if (!this.checkedEpisodes.has(episodeId)) {
          this.checkedEpisodes.add(episodeId);
          this.figures.episodesChecked += 1;
        }
        const history = this.byKey.get(key) ?? [];
        const lastRecovered = history.findLastIndex((event) => event.kind === 'RECOVERED');
        // Since subscribers were last told it recovered (or ever), what they were told about the failure.
        const told = history.slice(lastRecovered + 1).filter((event) => FAILURE_KINDS.has(event.kind));
        const covered = told.some((event) => event.kind === 'NEW_FAILURE' || event.status === seen.status);
        if (!covered) {
          if (!this.lostSeen.has(episodeId)) {
            this.lostSeen.add(episodeId);
            this.figures.lost += 1;
            this.violation(
              `lost: ${key} was ${seen.status}/${seen.errorCode} (episode ${seen.episode}) at sweep #${run.index} (${run.id}), which completed and listed its pack, ` +
                `but subscribers were never told of this failure; ${this.history(key)}`,
            );
          }
          continue;
        }
        const last = told.at(-1)!;
        if (last.status !== seen.status || last.errorCode !== seen.errorCode) {
          const staleId = `${episodeId}#${seen.status}#${seen.errorCode}`;
          if (!this.staleSeen.has(staleId)) {
            this.staleSeen.add(staleId);
            this.figures.stale += 1;
            (this.strict ? this.violations : this.notes).push(
              `stale: ${key} was ${seen.status}/${seen.errorCode} at sweep #${run.index} (${run.id}), which completed and listed its pack, ` +
                `but the last alert said ${last.status}/${last.errorCode}; ${this.history(key)}`,
            );
          }
        }
        if (told.every((event) => event.episode < seen.episode) && !this.unseenSeen.has(episodeId)) {
          this.unseenSeen.add(episodeId);
          this.figures.unseenRecoveries += 1;
        }
      }
    }
  }

  /** Once faults stop and the organization holds still: the stored state is exactly the true failures. */
  checkConverged(records: ReadonlyMap<string, FailureRecord>): void {
    const truth = this.org.failing();
    for (const [key, deployment] of truth) {
      const record = records.get(key);
      if (!record || record.status !== deployment.status || (record.errorCode ?? null) !== (deployment.errorCode ?? null)) {
        this.violation(`not converged: ${key} is ${deployment.status}/${deployment.errorCode ?? null} but the state holds ${record ? `${record.status}/${record.errorCode ?? null}` : 'nothing'}`);
      }
    }
    for (const [key, record] of records) {
      if (truth.has(key)) continue;
      // A STUCK record stays while the account is still in progress.
      const current = this.org.deployment(record.region, record.conformancePack, record.accountId);
      if (isInProgressStatus(record.status) && isInProgressStatus(current?.status)) continue;
      this.violation(`not converged: the state holds ${key} as ${record.status}, but it is ${current?.status ?? 'not deployed'}`);
    }
  }

  private repeat(event: AlertEvent, where: string, explains: (token: Token) => boolean, early = false): void {
    this.figures.repeats += 1;
    event.repeated = true;
    if (early) this.figures.earlyReminders += 1;
    if (this.consume(event.key, explains)) return;
    this.figures.unexplainedRepeats += 1;
    if (early) this.figures.unexplainedEarlyReminders += 1;
    const message = `repeated alert with no fault to explain it${early ? ' (REMINDER before its interval after a re-sent alert)' : ''}: ${where}; ${this.history(event.key)}`;
    if (this.strict) this.violation(message);
    else this.notes.push(message);
  }

  private consume(key: string, explains: (token: Token) => boolean): boolean {
    const token = this.tokens.get(key)?.find((candidate) => !candidate.consumed && explains(candidate));
    if (!token) return false;
    token.consumed = true;
    return true;
  }

  private history(key: string): string {
    const events = this.byKey.get(key) ?? [];
    const shown = events.slice(-6).map((event) => `#${event.sweep}@${new Date(event.at).toISOString().slice(5, 16)} ${event.kind}${event.resent ? ' (resent)' : ''} ${event.status}/${event.errorCode} ep${event.episode} [${this.describeRun(event.run)}]`);
    return `alerts so far (${events.length}): ${events.length > 6 ? '… ' : ''}${shown.join(' · ') || 'none'}; now episode ${this.org.episode(key).index}${this.org.episode(key).failing ? ' (failing)' : ''}`;
  }
}

function sameChange(a: Change, b: Change): boolean {
  return (
    a.kind === b.kind &&
    a.status === b.status &&
    a.previousStatus === b.previousStatus &&
    (a.errorCode ?? null) === (b.errorCode ?? null) &&
    a.failingSince === b.failingSince &&
    (a.lastUpdateTime ?? null) === (b.lastUpdateTime ?? null)
  );
}
