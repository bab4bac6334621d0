// An approval's details as Markdown, safely: react-markdown shows raw HTML as text and drops unsafe
// link targets. It reads CommonMark only, so GitHub-style pipe tables (which approval details use,
// e.g. the expense example's "| Amount | Purpose |") are cut out here and drawn as real tables.
import { Fragment, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import './markdown.css';

type Block = { kind: 'markdown'; text: string } | { kind: 'table'; header: string[]; align: Align[]; rows: string[][] };
type Align = 'left' | 'center' | 'right' | undefined;

const DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** The cells of one table line; "\|" is a literal pipe. */
export function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (text[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += text[i];
  }
  cells.push(cell.trim());
  return cells;
}

function alignOf(cell: string): Align {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'center' : right ? 'right' : left ? 'left' : undefined;
}

/** Markdown cut into plain parts and pipe tables (outside fenced code). */
export function splitTables(source: string): Block[] {
  const lines = source.split(/\r?\n/);
  const blocks: Block[] = [];
  let plain: string[] = [];
  let fenced = false;
  const flush = () => {
    if (plain.join('').trim()) blocks.push({ kind: 'markdown', text: plain.join('\n') });
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (FENCE.test(line)) fenced = !fenced;
    const next = lines[i + 1];
    if (!fenced && line.includes('|') && next !== undefined && next.includes('-') && DELIMITER.test(next)) {
      const header = splitRow(line);
      const align = splitRow(next).map(alignOf);
      if (align.length === header.length) {
        flush();
        const rows: string[][] = [];
        i += 2;
        while (i < lines.length && lines[i].trim() && lines[i].includes('|')) rows.push(splitRow(lines[i++]));
        i--;
        blocks.push({ kind: 'table', header, align, rows });
        continue;
      }
    }
    plain.push(line);
  }
  flush();
  return blocks;
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

/** Cell text: inline Markdown, without the paragraph around it. */
const inline: Components = { ...components, p: ({ children }) => <Fragment>{children}</Fragment> };

function Cell({ text }: { text: string }): ReactNode {
  return <ReactMarkdown components={inline}>{text}</ReactMarkdown>;
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {splitTables(source).map((block, index) =>
        block.kind === 'markdown' ? (
          <ReactMarkdown key={index} components={components}>
            {block.text}
          </ReactMarkdown>
        ) : (
          <div key={index} className="cairn-markdown__table">
            <table>
              <thead>
                <tr>
                  {block.header.map((cell, column) => (
                    <th key={column} style={{ textAlign: block.align[column] }}>
                      <Cell text={cell} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {block.rows.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {block.header.map((_, column) => (
                      <td key={column} style={{ textAlign: block.align[column] }}>
                        <Cell text={row[column] ?? ''} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
      )}
    </>
  );
}
