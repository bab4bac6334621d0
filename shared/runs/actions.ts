// An action as the editor sees it (the server's registry describes each registered action so): the
// step form, the publish check and expression autocomplete read it.
import type { CredentialRequirement } from '../credential-kinds.js';

export interface ActionDescription {
  name: string;
  title?: string;
  description: string;
  /** The input as JSON Schema, for the editor's form and the publish check. */
  inputSchema: unknown;
  /** The declared output as JSON Schema, when the action declares one. */
  outputSchema?: unknown;
  /** The credentials it declares, by the name it asks for them with; each step chooses a stored one for each. */
  credentials?: Record<string, CredentialRequirement>;
  /** A team's own action: its module in the actions folder and a hash of its source (absent for built-ins). */
  module?: { file: string; hash: string };
}
