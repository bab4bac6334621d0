// CAIRN_SMTP_URL and CAIRN_MAIL_FROM: read as given; a wrong scheme, a non-URL or a sender that is not
// an address stops start-up with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('CAIRN_SMTP_URL and CAIRN_MAIL_FROM', () => {
  it('accept smtp:// and smtps:// URLs and an address; unset means no SMTP', () => {
    expect(loadConfig({ CAIRN_SMTP_URL: 'smtp://user:pw@mail.example.com:587', CAIRN_MAIL_FROM: 'cairn@example.com' })).toMatchObject({
      CAIRN_SMTP_URL: 'smtp://user:pw@mail.example.com:587',
      CAIRN_MAIL_FROM: 'cairn@example.com',
    });
    expect(loadConfig({ CAIRN_SMTP_URL: 'smtps://mail.example.com:465' }).CAIRN_SMTP_URL).toBe('smtps://mail.example.com:465');
    expect(loadConfig({ CAIRN_SMTP_URL: '' }).CAIRN_SMTP_URL).toBeUndefined();
  });

  it.each([
    [{ CAIRN_SMTP_URL: 'http://mail.example.com' }, /CAIRN_SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ CAIRN_SMTP_URL: 'mail.example.com:25' }, /CAIRN_SMTP_URL/],
    [{ CAIRN_SMTP_URL: 'smtp://mail.example.com\r\nRCPT TO:<x@example.com>' }, /CAIRN_SMTP_URL/],
    [{ CAIRN_MAIL_FROM: 'Cairn' }, /CAIRN_MAIL_FROM: must be an e-mail address/],
    [{ CAIRN_MAIL_FROM: 'cairn@example.com\r\nBcc: x@example.com' }, /CAIRN_MAIL_FROM/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
