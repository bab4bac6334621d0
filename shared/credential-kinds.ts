// Credentials (DESIGN §6): the kinds a stored secret can be, and the rules for their names and values.
// The server validates with these schemas; the Settings page builds its form from CREDENTIAL_KINDS.
import { z } from 'zod';

/** A credential's name as graphs write it: `credential: "stripe"`. */
export const CREDENTIAL_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const credentialNameSchema = z
  .string()
  .regex(CREDENTIAL_NAME, 'a credential name is 1 to 63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** The longest secret a field may hold (a long JWT or a PEM key fits), and the most fields a free-form one has. */
export const MAX_SECRET_CHARS = 16_384;
export const MAX_CREDENTIAL_FIELDS = 20;

const secret = (what: string) => z.string().min(1, `${what} is empty`).max(MAX_SECRET_CHARS, `${what} is longer than ${MAX_SECRET_CHARS.toLocaleString('en')} characters`);
// A header's name as HTTP allows it (a token), so that setting it can never split a request.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'a header name is 1 to 100 letters, digits or !#$%&\'*+.^_`|~-');
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/, 'a field name is a letter or _ then up to 62 letters, digits, _ . or -');

export const credentialValueSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bearer'), token: secret('the token') }),
  z.strictObject({ kind: z.literal('basic'), username: z.string().max(1_000, 'the username is longer than 1,000 characters'), password: secret('the password') }),
  z.strictObject({ kind: z.literal('header'), name: headerName, value: secret('the value') }),
  z.strictObject({ kind: z.literal('query'), name: z.string().min(1).max(100), value: secret('the value') }),
  z.strictObject({
    kind: z.literal('fields'),
    fields: z
      .record(fieldName, secret('a field'))
      .refine((fields) => Object.keys(fields).length > 0, 'give at least one field')
      .refine((fields) => Object.keys(fields).length <= MAX_CREDENTIAL_FIELDS, `at most ${MAX_CREDENTIAL_FIELDS} fields`),
  }),
]);

export type CredentialValue = z.infer<typeof credentialValueSchema>;
export type CredentialKind = CredentialValue['kind'];

/** What the Settings form asks for, per kind. */
export const CREDENTIAL_KINDS: readonly { kind: CredentialKind; title: string; hint: string }[] = [
  { kind: 'bearer', title: 'Bearer token', hint: 'Sent as Authorization: Bearer <token>' },
  { kind: 'basic', title: 'Basic auth', hint: 'Sent as Authorization: Basic <username:password>' },
  { kind: 'header', title: 'Header', hint: 'A named header, e.g. X-Api-Key' },
  { kind: 'query', title: 'Query parameter', hint: 'A named parameter added to the URL, e.g. api_key' },
  { kind: 'fields', title: 'Fields', hint: 'Named values for your own actions (ctx.credentials)' },
];

/**
 * An action input field (a string) that names a stored credential: `contentMediaType` of its JSON
 * Schema. The inspector offers the stored credentials in a select for it, and publish checks that a
 * name given there exists (http.request's and email.send's `credential`).
 */
export const CREDENTIAL_MEDIA_TYPE = 'application/vnd.cairn.credential-name';

/** How an action names a credential it declares: `ctx.credentials.get("slack")`. */
export const CREDENTIAL_SLOT = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
export const MAX_DECLARED_CREDENTIALS = 20;

/**
 * A credential an action declares (`defineAction({ credentials: { slack: { kind: 'fields', description } } })`):
 * each step using the action chooses which stored credential fills it (the step's `credentials.slack`).
 */
export const credentialRequirementSchema = z.strictObject({
  /** The kind the stored credential must be; any kind when absent. */
  kind: z.enum(['bearer', 'basic', 'header', 'query', 'fields']).optional(),
  description: z.string().trim().min(1, 'say what the credential is for').max(500),
  /** A step may leave it unchosen (then `ctx.credentials.get` refuses it); required otherwise. */
  optional: z.boolean().optional(),
});

export type CredentialRequirement = z.infer<typeof credentialRequirementSchema>;

/** What the editor lists of the stored credentials for a picker (tRPC credentials.names): names, never values. */
export interface CredentialChoice {
  name: string;
  kind: CredentialKind;
  description: string | null;
}

/** What is listed of a credential: never its value. */
export interface CredentialSummary {
  name: string;
  kind: CredentialKind;
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  rotatedAt: string;
}
