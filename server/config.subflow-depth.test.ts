// CAIRN_MAX_SUBFLOW_DEPTH: a whole number from 1 to 100, default 10; anything else stops start-up
// with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('CAIRN_MAX_SUBFLOW_DEPTH', () => {
  it('defaults to 10 and takes a whole number from 1 to 100', () => {
    expect(loadConfig({}).CAIRN_MAX_SUBFLOW_DEPTH).toBe(10);
    expect(loadConfig({ CAIRN_MAX_SUBFLOW_DEPTH: '' }).CAIRN_MAX_SUBFLOW_DEPTH).toBe(10);
    expect(loadConfig({ CAIRN_MAX_SUBFLOW_DEPTH: '1' }).CAIRN_MAX_SUBFLOW_DEPTH).toBe(1);
    expect(loadConfig({ CAIRN_MAX_SUBFLOW_DEPTH: '100' }).CAIRN_MAX_SUBFLOW_DEPTH).toBe(100);
  });

  it.each(['0', '-1', '101', '2.5', 'ten', '1e9', 'Infinity', '10; rm -rf /'])('refuses %j naming the variable', (value) => {
    expect(() => loadConfig({ CAIRN_MAX_SUBFLOW_DEPTH: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CAIRN_MAX_SUBFLOW_DEPTH: value })).toThrow(/CAIRN_MAX_SUBFLOW_DEPTH/);
  });
});
