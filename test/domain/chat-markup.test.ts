import { describe, expect, it } from 'vitest';
import { chatLiteral, chatName } from '../../lambda/domain/chat-markup.js';

const ZWSP = '\u200b';

describe('chatLiteral: API text made inert for Slack and Teams', () => {
  it.each([
    { what: 'bold, italics, strike-through', text: '*bold* _it_ ~gone~', expected: '`*bold* _it_ ~gone~`' },
    { what: 'a backtick closing the code span', text: 'rule `x` failed', expected: '`rule ˋxˋ failed`' },
    { what: 'a Slack broadcast', text: '<!channel> <!here>', expected: '`‹!channel› ‹!here›`' },
    { what: 'a Slack user mention', text: '<@U123ABC>', expected: `\`‹@${ZWSP}U123ABC›\`` },
    { what: 'a plain @here and @channel', text: 'ping @here and @channel', expected: `\`ping @${ZWSP}here and @${ZWSP}channel\`` },
    { what: 'a Slack link', text: '<https://evil.example|AWS docs>', expected: `\`‹https:/${ZWSP}/evil.example|AWS docs›\`` },
    { what: 'a markdown link', text: '[runbook](https://evil.example)', expected: `\`[runbook]${ZWSP}(https:/${ZWSP}/evil.example)\`` },
    { what: 'a bare URL', text: 'see http://evil.example/x', expected: `\`see http:/${ZWSP}/evil.example/x\`` },
    { what: 'a quote at a line start', text: 'line one\n> quoted', expected: '`line one › quoted`' },
    { what: 'line breaks and tabs', text: 'a\r\n\tb\u2028c', expected: '`a b c`' },
    { what: 'unicode, kept', text: 'Zugriff verweigert — アクセス 🚫', expected: '`Zugriff verweigert — アクセス 🚫`' },
    { what: 'empty text', text: '  \n ', expected: '' },
  ])('defuses $what', ({ text, expected }) => {
    expect(chatLiteral(text)).toBe(expected);
  });

  it('never lets a backtick, <, > or an unbroken mention through, whatever the input', () => {
    const nasty = '`*_~<>@here<!channel>[a](http://b)\n>`';
    const inner = chatLiteral(nasty).slice(1, -1);
    expect(inner).not.toMatch(/[`<>\n]/);
    expect(inner).not.toMatch(/@here|@channel|:\/\/|\]\(/);
  });
});

describe('chatName: names shown as is only when plain', () => {
  it.each([
    { text: 'security-baseline', expected: 'security-baseline' },
    { text: 'AccessDenied, ValidationException and 2 more', expected: 'AccessDenied, ValidationException and 2 more' },
    { text: 'Stuck in progress', expected: 'Stuck in progress' },
    { text: 'pack_with_underscores', expected: '`pack_with_underscores`' },
    { text: '*pack*', expected: '`*pack*`' },
    { text: '@here', expected: `\`@${ZWSP}here\`` },
    { text: '-leading-dash', expected: '`-leading-dash`' },
  ])('shows $text as $expected', ({ text, expected }) => {
    expect(chatName(text)).toBe(expected);
  });
});
