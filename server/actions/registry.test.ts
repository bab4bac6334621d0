// The registry's description of actions: what the editor's forms and the publish check read.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionInputProblems } from '../../shared/validate-action-input.js';
import { builtinActions } from './builtin.actions.js';
import { ActionRegistry, defineAction } from './registry.js';

type Schema = { properties: Record<string, Record<string, unknown>>; required?: string[] };

describe('ActionRegistry.describe', () => {
  const described = new ActionRegistry(builtinActions).describe();
  const byName = (name: string) => described.find((action) => action.name === name)!;

  it('gives every built-in field a title, and carries descriptions, defaults and enums', () => {
    for (const action of described) {
      expect(action.title, action.name).toBeTruthy();
      for (const [key, property] of Object.entries((action.inputSchema as Schema).properties)) expect(property.title, `${action.name}.${key}`).toBeTruthy();
    }
    const http = byName('http.request').inputSchema as Schema;
    expect(http.required).toEqual(['url']);
    expect(http.properties.method).toMatchObject({ title: 'Method', default: 'GET', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] });
    expect(http.properties.url).toMatchObject({ title: 'URL', type: 'string', description: expect.stringContaining('CAIRN_HTTP_ALLOW') });
    expect(http.properties.timeout).toMatchObject({ default: '30s' });
    expect((byName('log').inputSchema as Schema).properties.level).toMatchObject({ default: 'info', enum: ['debug', 'info', 'warn', 'error'] });
  });

  it('describes a declared output, and none where the action declares none', () => {
    expect((byName('http.request').outputSchema as Schema).properties).toHaveProperty('status', expect.objectContaining({ type: 'number' }));
    expect(byName('transform')).not.toHaveProperty('outputSchema');
  });

  it('the described input is what the publish check applies', () => {
    const http = byName('http.request').inputSchema;
    expect(actionInputProblems(http, { method: 'GET' })).toEqual([{ path: 'url', message: 'url is required' }]);
    expect(actionInputProblems(http, { url: 'https://example.com', method: 'FETCH' })[0]?.message).toContain('must be one of');
    expect(actionInputProblems(http, { url: '{{ input.url }}', method: '{{ input.method }}' })).toEqual([]);
  });

  it('an action without titles still describes its fields, and a title falls back to none', () => {
    const plain = defineAction({ name: 'plain', description: 'p', input: z.object({ n: z.number() }), run: () => null });
    const [description] = new ActionRegistry([plain]).describe();
    expect(description).not.toHaveProperty('title');
    expect((description.inputSchema as Schema).properties.n).toEqual({ type: 'number' });
  });
});
