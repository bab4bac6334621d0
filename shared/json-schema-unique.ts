// `uniqueItems` in linear time. ajv compares every pair of non-scalar items (20,000 small arrays in a
// 150 KB value took 3 s of event loop); here each item gets a canonical JSON key (object keys sorted,
// so equal values by JSON Schema's rules get equal keys) and duplicates are found with one Map.
import type { FuncKeywordDefinition } from 'ajv';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
    .join(',')}}`;
}

interface UniqueCheck {
  (unique: boolean, data: unknown[]): boolean;
  errors?: { keyword: string; message: string; params: Record<string, unknown> }[];
}

const check: UniqueCheck = (unique, data) => {
  check.errors = undefined;
  if (!unique) return true;
  const first = new Map<string, number>();
  for (let index = 0; index < data.length; index++) {
    const key = canonical(data[index]);
    const earlier = first.get(key);
    if (earlier !== undefined) {
      // Same wording and params as ajv's own keyword.
      check.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${earlier} and ${index} are identical)`, params: { i: index, j: earlier } }];
      return false;
    }
    first.set(key, index);
  }
  return true;
};

export const uniqueItemsKeyword: FuncKeywordDefinition = {
  keyword: 'uniqueItems',
  type: 'array',
  schemaType: 'boolean',
  errors: true,
  validate: check,
};
