import { describe, expect, it } from 'vitest';
import { ConfigError, parsePackwatchContext } from '../../lib/config.js';

describe('parsePackwatchContext: alert routing and quieting', () => {
  it('reads Slack and Teams channels given in full', () => {
    const config = parsePackwatchContext({
      slackWorkspaceId: 'T07EA123LEP',
      slackChannelId: 'C07EZ1ABC23',
      teamsTeamId: '5f6c1c4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
      teamsChannelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
      teamsTenantId: 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d',
    });
    expect(config.slack).toEqual({ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' });
    expect(config.teams).toEqual({
      teamId: '5f6c1c4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
      channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
      tenantId: 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d',
    });
  });

  it.each([
    { context: { slackWorkspaceId: 'T07EA123LEP' }, setting: 'slackChannelId', problem: 'required together with slackWorkspaceId' },
    { context: { slackChannelId: 'C07EZ1ABC23' }, setting: 'slackWorkspaceId', problem: 'required together with slackChannelId' },
    { context: { slackWorkspaceId: 't-lower', slackChannelId: 'C07EZ1ABC23' }, setting: 'slackWorkspaceId', problem: 'expected a Slack workspace ID' },
    { context: { teamsTeamId: 'not-a-uuid', teamsChannelId: 'c', teamsTenantId: 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d' }, setting: 'teamsTeamId', problem: 'expected a UUID' },
    { context: { mute: 'pack:legacy-*,region:us-east-1' }, setting: 'mute', problem: 'is not one of account, pack, errorCode' },
    { context: { stuckAfter: 'soon' }, setting: 'stuckAfter', problem: 'expected a duration' },
    { context: { eventBridge: 'maybe' }, setting: 'eventBridge', problem: 'expected true or false' },
  ])('refuses $context naming $setting', ({ context, setting, problem }) => {
    expect(() => parsePackwatchContext(context)).toThrow(ConfigError);
    expect(() => parsePackwatchContext(context)).toThrow(new RegExp(`^Invalid context "${setting}".*${problem}`));
  });

  it('reads mute rules, stuck threshold and the EventBridge switch', () => {
    const config = parsePackwatchContext({ mute: 'pack:legacy-*, account:012345678901@2026-12-31', stuckAfter: '2h', eventBridge: 'false' });
    expect(config.muteRules).toEqual([
      { field: 'pack', pattern: 'legacy-*' },
      { field: 'account', pattern: '012345678901', expiresAt: '2027-01-01T00:00:00.000Z' },
    ]);
    expect(config.stuckAfterSeconds).toBe(7_200);
    expect(config.eventBridge).toBe(false);
  });

  it('turns stuck alerts off with 0 and takes JSON booleans from cdk.json', () => {
    expect(parsePackwatchContext({ stuckAfter: '0', eventBridge: true })).toMatchObject({ stuckAfterSeconds: 0, eventBridge: true });
  });
});
