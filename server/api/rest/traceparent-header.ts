// A caller's W3C `traceparent` on REST starts (issue 18). Malformed values are ignored, as the
// trace-context spec asks (the run starts a trace of its own); a value far longer than any
// traceparent, or the header sent twice, is refused, so nothing oversized reaches a run's state.
import { ApiError } from '../../errors.js';
import { MAX_TRACEPARENT_LENGTH } from '../../engine/runner/trace-context.js';

export function traceparentHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new ApiError('BAD_REQUEST', 'send the traceparent header once');
  if (value.length > MAX_TRACEPARENT_LENGTH) throw new ApiError('BAD_REQUEST', `the traceparent header is ${value.length} characters; a W3C traceparent is 55 (at most ${MAX_TRACEPARENT_LENGTH} accepted)`);
  return value;
}
