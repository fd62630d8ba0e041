import { describe, expect, it } from 'vitest';
import { adviceFor, adviceForChange, adviceForErrorCode, GENERIC_ADVICE, STUCK_ADVICE } from '../../lambda/domain/error-advice.js';

describe('adviceForErrorCode', () => {
  it.each([
    { code: 'AccessDenied', mentions: 'AWSServiceRoleForConfigMultiAccountSetup' },
    { code: 'AccessDeniedException', mentions: 'service control policies' },
    { code: 'NoAvailableConfigurationRecorderException', mentions: 'turn on its configuration recorder' },
    { code: 'NoAvailableConfigurationRecorder', mentions: 'turn on its configuration recorder' },
    { code: 'MaxNumberOfConfigRulesExceededException', mentions: 'AWS Config rules quota' },
    { code: 'ResourceLimitExceeded', mentions: 'AWS Config rules quota' },
    { code: 'MaxNumberOfConformancePacksExceededException', mentions: 'conformance packs quota' },
    { code: 'ValidationException', mentions: 'template parameters' },
    { code: 'InsufficientPermissionsException', mentions: 'iam:GetRole' },
    { code: 'ResourceInUseException', mentions: 'remediation or evaluation has finished' },
    { code: 'OrganizationAccessDeniedException', mentions: 'config-multiaccountsetup.amazonaws.com' },
    { code: 'accessdeniedexception', mentions: 'AWSServiceRoleForConfigMultiAccountSetup' },
    { code: ' ValidationException ', mentions: 'template parameters' },
  ])('tells what to do about $code', ({ code, mentions }) => {
    expect(adviceForErrorCode(code)).toContain(mentions);
  });

  it.each([{ code: 'InternalError' }, { code: 'SomethingAwsAddsNextYear' }, { code: '' }, { code: null }, { code: undefined }])(
    'falls back to the generic advice for $code',
    ({ code }) => {
      expect(adviceForErrorCode(code)).toBe(GENERIC_ADVICE);
    },
  );
});

describe('adviceForChange', () => {
  it.each([
    { change: { kind: 'NEW_FAILURE', errorCode: 'ValidationException' }, expected: adviceForErrorCode('ValidationException') },
    { change: { kind: 'REMINDER', errorCode: null }, expected: GENERIC_ADVICE },
    { change: { kind: 'STUCK', errorCode: null }, expected: STUCK_ADVICE },
    { change: { kind: 'STUCK', errorCode: 'AccessDenied' }, expected: adviceForErrorCode('AccessDenied') },
    { change: { kind: 'RECOVERED', errorCode: 'AccessDenied' }, expected: undefined },
  ] as const)('advises $expected for $change', ({ change, expected }) => {
    expect(adviceForChange(change)).toBe(expected);
  });
});

describe('adviceFor a group of changes', () => {
  it('gives each advice once, in first-seen order, with the codes it covers and how many accounts', () => {
    const items = adviceFor([
      { kind: 'NEW_FAILURE', errorCode: 'AccessDenied' },
      { kind: 'NEW_FAILURE', errorCode: 'AccessDeniedException' },
      { kind: 'STUCK', errorCode: null },
      { kind: 'RECOVERED', errorCode: null },
      { kind: 'REMINDER', errorCode: 'AccessDenied' },
    ]);
    expect(items).toEqual([
      { label: 'AccessDenied, AccessDeniedException', advice: adviceForErrorCode('AccessDenied'), accounts: 3 },
      { label: 'Stuck in progress', advice: STUCK_ADVICE, accounts: 1 },
    ]);
  });

  it('names at most three codes and bounds each one', () => {
    const codes = ['ErrorOne', 'ErrorTwo', 'ErrorThree', 'ErrorFour', 'ErrorFive'];
    const [item] = adviceFor(codes.map((errorCode) => ({ kind: 'NEW_FAILURE' as const, errorCode })));
    expect(item!.label).toBe('ErrorOne, ErrorTwo, ErrorThree and 2 more');
    const [long] = adviceFor([{ kind: 'NEW_FAILURE', errorCode: `Weird\n${'x'.repeat(500)}` }]);
    expect(long!.label.length).toBeLessThanOrEqual(64);
    expect(long!.label).not.toContain('\n');
  });
});
