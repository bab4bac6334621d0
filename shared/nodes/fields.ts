// Field builders for node configs. Each carries a `widget` in its zod metadata: the inspector picks
// its editor from it, the validator its checks, and the engine how to resolve it on node entry.
import { z } from 'zod';
import { parseDuration, TOO_LONG } from '../durations.js';
import { CREDENTIAL_SLOT, credentialNameSchema } from '../credential-kinds.js';

export type FieldWidget =
  | 'text'
  | 'number'
  | 'boolean'
  | 'template' // text with {{ }} parts, always a string
  | 'expression' // must be computed: stored as {{ … }}; bare text is refused by the validator
  | 'value' // Fixed or Expression: literal text, or {{ … }} giving a value of any type
  | 'valueMap' // an object whose strings may hold {{ }} (step inputs)
  | 'duration'
  | 'jsonSchema'
  | 'action'
  | 'workflow'
  | 'model'
  | 'stringList'
  | 'retryPolicy'
  | 'compensation'
  | 'assignees'
  | 'credentials'; // which stored credential fills each one the step's action declares

export interface FieldMeta {
  widget: FieldWidget;
  title: string;
  description?: string;
  /** For `value` fields: what a fixed (literal) value must be; any text when absent. */
  fixed?: 'dateTime';
  /** Shown in an empty field: an example that fits it. */
  example?: string;
}

function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  return schema.meta({ ...meta }) as T;
}

export const text = (title: string, description?: string) =>
  field(z.string(), { widget: 'text', title, description });

export const template = (title: string, description?: string, example?: string) =>
  field(z.string().min(1, `${title} is required`), { widget: 'template', title, description, example });

/** A field that must be computed (a condition): `{{ … }}`; the validator refuses bare text with the fix. */
export const expression = (title: string, description?: string, example?: string) =>
  field(z.string().min(1, `${title} is required`), { widget: 'expression', title, description, example });

/** A field holding a fixed value or an expression; text without `{{ }}` is that text. */
export const value = (title: string, options: { description?: string; fixed?: FieldMeta['fixed']; example?: string } = {}) =>
  field(z.string().min(1, `${title} is required`), { widget: 'value', title, ...options });

export const valueMap = (title: string, description?: string) =>
  field(z.record(z.string(), z.unknown()), { widget: 'valueMap', title, description });

export const duration = (title: string, description?: string) =>
  field(
    z.string().superRefine((text, ctx) => {
      const parsed = parseDuration(text);
      if (parsed.ok) return;
      const tooLong = parsed.message.includes(TOO_LONG);
      ctx.addIssue({ code: 'custom', message: tooLong ? `not a duration of at most 1 year ("1y", "P1Y")` : 'not a duration: use "30s", "5m", "1h", "7d", "2w" or ISO 8601 "P7D"' });
    }),
    { widget: 'duration', title, description },
  );

export const jsonSchema = (title: string, description?: string) =>
  field(z.record(z.string(), z.unknown()), { widget: 'jsonSchema', title, description });

export const actionName = (title = 'Action') =>
  field(z.string().min(1, 'choose an action'), { widget: 'action', title });

/** `{ <declared name>: <stored credential's name> }`: names only, never values, and never computed. */
export const credentialChoices = (title = 'Credentials', description?: string) =>
  field(z.record(z.string().regex(CREDENTIAL_SLOT, 'a declared credential is named by a letter, then letters, digits or _'), credentialNameSchema), { widget: 'credentials', title, description });

export const positiveInt = (title: string, description?: string) =>
  field(z.number().int().positive(), { widget: 'number', title, description });

/** Unwrap optional/default/nullable wrappers to reach the schema that carries the metadata. */
export function unwrapField(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}

export function fieldMeta(schema: z.ZodType): FieldMeta | undefined {
  return unwrapField(schema).meta() as FieldMeta | undefined;
}

export function isOptionalField(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}
