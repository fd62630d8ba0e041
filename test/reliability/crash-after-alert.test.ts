import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';
import type { Change } from '../../lambda/domain/types.js';
import { newSweepCounters } from '../../lambda/sweep-counters.js';
import { runSweep, type SweepSettings } from '../../lambda/sweep.js';
import { InMemoryStateStore, InMemoryStatusSource, ManualClock, RecordingLog, RecordingNotifier } from '../support/in-memory-ports.js';

/**
 * Regression tests for a lost alert that randomized-faults.test.ts found in the product at 5177fbb
 * (before write-ahead staging, dd42055). There, PACKWATCH_FAULT_SEED=17 replays sweep #294 crashing
 * right after SNS accepted a RECOVERED, and sweep #295 completing, listing the pack and sending nothing
 * for the account, failing again the same way (CREATE_FAILED/InsufficientPermissions); seed 74 does the
 * same through a failed state write after the publish (sweeps #118 and #119), seed 66 through a lost
 * SNS acknowledgement.
 *
 * A crash (or a failed write) between an accepted publish and its state write left the stored record
 * behind what subscribers were told, and the next sweep diffed the organization against that record,
 * not against what was told: when the account was back in the recorded status by then, nothing was
 * sent, and subscribers' last word stayed "recovered" (or a superseded failed status) while it failed.
 */

const SETTINGS: SweepSettings = { regions: ['us-east-1'], reminderIntervalMs: 24 * 3_600_000, regionConcurrency: 1, packConcurrency: 1 };
const ACCOUNT = '000000000001';

/** SNS accepts the message, then the invocation dies before the state write. */
class CrashAfterPublish extends RecordingNotifier {
  armed = false;
  constructor(private readonly store: InMemoryStateStore) {
    super();
  }
  override async publish(message: AlertMessage): Promise<void> {
    await super.publish(message);
    if (this.armed) this.store.failApply = new Error('simulated crash after SNS accepted the message');
  }
}

let source: InMemoryStatusSource;
let store: InMemoryStateStore;
let notifier: CrashAfterPublish;
let clock: ManualClock;

function sweep() {
  return runSweep(`sweep-${clock.now().toISOString()}`, SETTINGS, { source, store, notifier, clock, log: new RecordingLog(), counters: newSweepCounters() });
}

function deploy(status: 'CREATE_FAILED' | 'UPDATE_FAILED' | 'CREATE_SUCCESSFUL', errorCode?: string) {
  source.setAccount('us-east-1', 'pack-a', { accountId: ACCOUNT, status, ...(errorCode ? { errorCode } : {}), lastUpdateTime: clock.now().toISOString() });
}

/** The last thing subscribers were told about the account. */
function lastToldAboutAccount(): Change | undefined {
  return notifier.published
    .flatMap((message) => (JSON.parse(JSON.parse(message.message).default) as AlertDocument).changes)
    .filter((change) => change.accountId === ACCOUNT)
    .at(-1);
}

/** One crashed sweep: SNS accepted its alert, the state write never happened. */
async function crashedSweep() {
  notifier.armed = true;
  await expect(sweep()).rejects.toThrow('simulated crash');
  notifier.armed = false;
  store.failApply = undefined;
}

beforeEach(async () => {
  source = new InMemoryStatusSource();
  store = new InMemoryStateStore();
  notifier = new CrashAfterPublish(store);
  clock = new ManualClock(new Date('2026-11-27T12:00:00.000Z'));
  deploy('CREATE_FAILED', 'AccessDenied');
  await sweep();
  expect(lastToldAboutAccount()).toMatchObject({ kind: 'NEW_FAILURE', status: 'CREATE_FAILED' });
});

describe('a crash between an accepted alert and its state write', () => {
  it('does not leave subscribers believing a failing account recovered (RECOVERED crashed, then it failed again the same way)', async () => {
    clock.advance(15 * 60_000);
    deploy('CREATE_SUCCESSFUL');
    await crashedSweep();
    expect(lastToldAboutAccount()).toMatchObject({ kind: 'RECOVERED' });

    clock.advance(15 * 60_000);
    deploy('CREATE_FAILED', 'AccessDenied');
    await sweep();

    // Failing, and this sweep read it completely: subscribers must not be left with "recovered".
    expect(lastToldAboutAccount(), 'the last alert about a failing account is still RECOVERED').toMatchObject({
      kind: expect.stringMatching(/^(NEW_FAILURE|CHANGED_FAILURE|REMINDER)$/),
      status: 'CREATE_FAILED',
    });
  });

  it('does not leave subscribers with a failed status the account has left (CHANGED_FAILURE crashed, then it went back)', async () => {
    clock.advance(15 * 60_000);
    deploy('UPDATE_FAILED', 'AccessDenied');
    await crashedSweep();
    expect(lastToldAboutAccount()).toMatchObject({ kind: 'CHANGED_FAILURE', status: 'UPDATE_FAILED' });

    clock.advance(15 * 60_000);
    deploy('CREATE_FAILED', 'AccessDenied');
    await sweep();

    expect(lastToldAboutAccount(), 'the last alert still says UPDATE_FAILED').toMatchObject({ status: 'CREATE_FAILED' });
  });
});
