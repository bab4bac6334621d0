// @vitest-environment jsdom
// The inspector's credential pickers (issue 15): a step whose action declares credentials shows a
// select of the stored credentials (names and kinds from tRPC credentials.names, never values) for each
// declared one, required ones marked and said missing as publish says it; a choice is stored in the
// step's `credentials`; a name that is not stored, one of another kind, and a choice the action does
// not declare are said under the row. http.request's `credential` field is a picker too, or the
// expression that computes the name. Without the list the name is typed. Switching the action keeps
// only the choices the new one declares. The editor's problems list a required one left unchosen.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinActions } from '../../../server/actions/builtin.actions.js';
import { ActionRegistry } from '../../../server/actions/registry.js';
import type { CredentialChoice } from '../../../shared/credential-kinds.js';
import type { ActionDescription } from '../../../shared/runs/actions.js';
import { byTestId, click, renderNode, type } from './test-kit.js';

afterEach(cleanup);

const PING: ActionDescription = {
  name: 'team.ping',
  title: 'Ping the API',
  description: 'Calls the API with its token.',
  inputSchema: { type: 'object', properties: {} },
  credentials: {
    api: { kind: 'bearer', description: 'The API token' },
    extra: { kind: 'fields', description: 'Optional settings', optional: true },
  },
};
const REFUND: ActionDescription = { name: 'team.refund', description: 'Refunds.', inputSchema: { type: 'object', properties: {} }, credentials: { payments: { description: 'The payments API' } } };
const ACTIONS = [...new ActionRegistry(builtinActions).describe(), PING, REFUND];
const STORED: CredentialChoice[] = [
  { name: 'api-a', kind: 'bearer', description: 'Production token' },
  { name: 'api-b', kind: 'bearer', description: null },
  { name: 'settings', kind: 'fields', description: null },
];
const options = { actions: ACTIONS, credentials: STORED };
const select = (testId: string) => byTestId<HTMLSelectElement>(testId);

describe('credential pickers of a step whose action declares credentials', () => {
  it('offer the stored credentials for each declared one; a choice is stored by name, none chosen removes the field', () => {
    const { config } = renderNode('step', { action: 'team.ping', input: {} }, options);
    expect(byTestId<HTMLElement>('field-row-credentials').dataset.widget).toBe('credentials');
    const api = select('field-credentials-api');
    expect(api.tagName).toBe('SELECT');
    expect([...api.options].map((option) => option.textContent)).toEqual(['Choose a credential…', 'api-a (bearer) — Production token', 'api-b (bearer)', 'settings (fields; needs bearer)']);
    expect(byTestId<HTMLElement>('field-credentials-api-row').textContent).toContain('The API token');
    expect(byTestId<HTMLElement>('field-credentials-api-row').querySelector('abbr[title="required"]')).not.toBeNull();
    expect(byTestId<HTMLElement>('field-credentials-extra-row').querySelector('abbr[title="required"]')).toBeNull();
    // Required and unchosen: said as publish says it; the optional one says nothing.
    expect(byTestId<HTMLElement>('field-credentials-api-problem').textContent).toBe('Required: choose a stored credential.');
    expect(screen.queryByTestId('field-credentials-extra-problem')).toBeNull();

    type('field-credentials-api', 'api-b');
    expect(config()!.credentials).toEqual({ api: 'api-b' });
    expect(screen.queryByTestId('field-credentials-api-problem')).toBeNull();
    type('field-credentials-extra', 'settings');
    expect(config()!.credentials).toEqual({ api: 'api-b', extra: 'settings' });
    type('field-credentials-api', '');
    type('field-credentials-extra', '');
    expect(config()).not.toHaveProperty('credentials');
  });

  it('say when a choice is of another kind, not stored, or for a name the action does not declare', () => {
    const { config } = renderNode('step', { action: 'team.ping', input: {}, credentials: { api: 'settings', extra: 'gone', old: 'api-a' } }, options);
    expect(byTestId<HTMLElement>('field-credentials-api-problem').textContent).toBe('“settings” is a fields credential; this needs bearer.');
    expect(select('field-credentials-extra').value).toBe('gone');
    expect(select('field-credentials-extra').selectedOptions[0].textContent).toBe('gone (not stored)');
    expect(byTestId<HTMLElement>('field-credentials-extra-problem').textContent).toContain('No credential named “gone” is stored');
    expect(byTestId<HTMLElement>('field-credentials-old-undeclared').textContent).toContain('team.ping declares no credential “old”');
    click('field-credentials-old-remove');
    expect(config()!.credentials).toEqual({ api: 'settings', extra: 'gone' });
  });

  it('are typed when the stored credentials cannot be listed', () => {
    const { config } = renderNode('step', { action: 'team.ping', input: {} }, { actions: ACTIONS });
    const api = byTestId('field-credentials-api');
    expect(api.tagName).toBe('INPUT');
    type('field-credentials-api', 'api-a');
    expect(config()!.credentials).toEqual({ api: 'api-a' });
  });

  it('are not shown for an action that declares none; switching the action keeps only the choices it declares too', () => {
    const { config } = renderNode('step', { action: 'log', input: {} }, options);
    expect(screen.queryByTestId('field-row-credentials')).toBeNull();
    type('field-action', 'team.ping');
    type('field-credentials-api', 'api-a');
    expect(config()!.credentials).toEqual({ api: 'api-a' });
    type('field-action', 'team.refund');
    expect(config()).not.toHaveProperty('credentials');
    expect(byTestId<HTMLElement>('field-credentials-payments-problem').textContent).toBe('Required: choose a stored credential.');
  });

  it("appear for a compensation's action too", () => {
    const { config } = renderNode('step', { action: 'log', input: {}, compensate: { action: 'team.refund', input: {} } }, options);
    type('field-compensate-credentials-payments', 'api-a');
    expect(config()!.compensate).toEqual({ action: 'team.refund', input: {}, credentials: { payments: 'api-a' } });
  });

  it("make a required one left unchosen one of the editor's problems, naming node and field", () => {
    const { store } = renderNode('step', { action: 'team.ping', input: {} }, options);
    expect(store.getState().problems().filter((problem) => problem.code.startsWith('CREDENTIAL'))).toEqual([
      expect.objectContaining({ code: 'CREDENTIAL_MISSING', nodeId: 'node', field: 'credentials.api' }),
    ]);
  });
});

describe("http.request's credential field", () => {
  it('is a picker of the stored credentials, or an expression computing the name', () => {
    const { config } = renderNode('step', { action: 'http.request', input: { url: 'https://example.com' } }, options);
    const field = select('field-input-credential');
    expect(field.tagName).toBe('SELECT');
    expect([...field.options].map((option) => option.value)).toEqual(['', 'api-a', 'api-b', 'settings']);
    type('field-input-credential', 'api-a');
    expect(config()!.input).toEqual({ url: 'https://example.com', credential: 'api-a' });
    click('field-input-credential-mode-expression');
    expect(config()!.input).toEqual({ url: 'https://example.com', credential: '{{ "api-a" }}' });
    type('field-input-credential', '{{ input.which }}');
    expect(config()!.input).toEqual({ url: 'https://example.com', credential: '{{ input.which }}' });
    click('field-input-credential-mode-fixed');
    expect(config()!.input).toEqual({ url: 'https://example.com', credential: 'input.which' });
    expect(byTestId<HTMLElement>('field-input-credential-credential-problem').textContent).toContain('No credential named “input.which” is stored');
    type('field-input-credential', '');
    expect(config()!.input).toEqual({ url: 'https://example.com' });
  });
});
