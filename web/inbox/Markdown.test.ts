import { describe, expect, it } from 'vitest';
import { splitRow, splitTables } from './Markdown.js';

describe('approval details markdown', () => {
  it('cuts pipe tables out of the text', () => {
    const blocks = splitTables('**Ada** asks.\n\n| Amount | Purpose |\n|---|:---:|\n| 420 EUR | conference |\n\nApprove it.');
    expect(blocks).toEqual([
      { kind: 'markdown', text: '**Ada** asks.\n' },
      { kind: 'table', header: ['Amount', 'Purpose'], align: [undefined, 'center'], rows: [['420 EUR', 'conference']] },
      { kind: 'markdown', text: '\nApprove it.' },
    ]);
  });

  it('leaves tables in fenced code and lines that only look alike', () => {
    const fenced = '```\n| a | b |\n|---|---|\n```';
    expect(splitTables(fenced)).toEqual([{ kind: 'markdown', text: fenced }]);
    expect(splitTables('a | b\n---')).toEqual([{ kind: 'markdown', text: 'a | b\n---' }]);
  });

  it('keeps escaped pipes in a cell', () => {
    expect(splitRow('| a \\| b | c |')).toEqual(['a | b', 'c']);
  });
});
