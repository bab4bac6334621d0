// Turns CSV text into JSON rows, with the csv-parse package (your actions may import any package your
// project installs: `npm install csv-parse`). Quoted fields, escaped quotes, line breaks inside
// quotes, a byte-order mark and CRLF line ends are read as RFC 4180 says.
import { parse } from 'csv-parse/sync';
import { defineAction, NonRetryableError } from 'cairn';

/** A number where the whole field is one ("1.5", "-3"), true/false, empty as null; else the text. */
function typed(value: string): unknown {
  if (value === '') return null;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

export default defineAction({
  name: 'csv.to-json',
  title: 'CSV to JSON',
  description: 'Parses CSV text into rows: objects keyed by the header row, or arrays of fields.',
  // A JSON Schema input (zod works as well): titles and descriptions become the step's form.
  input: {
    type: 'object',
    required: ['csv'],
    properties: {
      csv: { type: 'string', title: 'CSV', description: 'The text, e.g. {{ nodes.download.body }}', maxLength: 200_000 },
      delimiter: { type: 'string', title: 'Delimiter', enum: [',', ';', '\t', '|'], default: ',' },
      header: { type: 'boolean', title: 'First row is the header', description: 'Rows become objects keyed by it; otherwise arrays', default: true },
      types: { type: 'boolean', title: 'Read numbers and true/false', description: 'Otherwise every field stays text', default: true },
    },
  },
  output: {
    type: 'object',
    properties: {
      rows: { type: 'array', title: 'Rows' },
      count: { type: 'integer', title: 'Count', description: 'How many rows' },
      columns: { type: 'array', title: 'Columns', items: { type: 'string' }, description: 'The header row (empty without one)' },
    },
  },
  run(input) {
    const csv = input.csv as string;
    const header = input.header !== false;
    const cast = input.types !== false;
    let records: string[][];
    try {
      records = parse(csv, { delimiter: (input.delimiter as string | undefined) ?? ',', bom: true, skip_empty_lines: true, relax_column_count: false, trim: false });
    } catch (error) {
      // Bad CSV stays bad on a retry: say where it broke.
      throw new NonRetryableError(`the CSV cannot be read: ${(error as Error).message}`, { code: 'CSV_INVALID' });
    }
    const value = (field: string) => (cast ? typed(field) : field);
    if (!header) return { rows: records.map((record) => record.map(value)), count: records.length, columns: [] };
    const [columns = [], ...body] = records;
    const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
    if (duplicate !== undefined) throw new NonRetryableError(`the header names the column "${duplicate}" twice`, { code: 'CSV_INVALID' });
    const rows = body.map((record) => Object.fromEntries(columns.map((column, index) => [column, value(record[index])])));
    return { rows, count: rows.length, columns };
  },
});
