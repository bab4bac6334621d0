// The shapes validation reports (STYLE: a list of problems with stable codes, never a throw). Kept
// apart from the validators so that each check module can name them without importing its caller.

export type ProblemCode =
  | 'GRAPH_INVALID'
  | 'DUPLICATE_NODE_ID'
  | 'DUPLICATE_EDGE_ID'
  | 'UNKNOWN_KIND'
  | 'NO_START'
  | 'MULTIPLE_STARTS'
  | 'EDGE_UNKNOWN_NODE'
  | 'EDGE_UNKNOWN_PORT'
  | 'EDGE_INTO_START'
  | 'DUPLICATE_EDGE'
  | 'PORT_HAS_MANY_EDGES'
  | 'UNREACHABLE'
  | 'NO_OUTGOING_EDGE'
  | 'CONFIG_INVALID'
  | 'EXPRESSION_INVALID'
  | 'EXPRESSION_NOT_BRACED'
  | 'UNKNOWN_NAME'
  | 'ACTION_INPUT_INVALID'
  | 'SCHEMA_INVALID'
  | 'UNKNOWN_ACTION'
  | 'DURATION_INVALID'
  | 'AI_CONTRACT_INVALID'
  | 'CREDENTIAL_MISSING'
  | 'CREDENTIAL_UNKNOWN';

export interface Problem {
  code: ProblemCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Where in the node's config, e.g. "retry.delays.0" or "input.url". */
  field?: string;
}

/** A value that does not fit a declared input; the validator turns it into a Problem of its node. */
export interface InputProblem {
  /** Dotted path inside the input ("headers.x-amount"); "" for the input itself. */
  path: string;
  message: string;
}
