// The limits of DESIGN §3. Each is enforced with a clear error; nothing is dropped silently.
export const LIMITS = {
  /** Bytes of JSON for a run's input, a signal's data and any node output. */
  payloadBytes: 256 * 1024,
  /** History events per run. */
  historyEvents: 10_000,
  /** Visits per node per run. */
  nodeVisits: 1_000,
  /** Interruptions of a run's processing in a row (process death, stall) before it is quarantined. */
  interruptions: 3,
  /** How deep sub-workflows nest: a run started by a run started by a root is depth 2 (CAIRN_MAX_SUBFLOW_DEPTH). */
  subflowDepth: 10,
  /** Signals a run holds that no `event` node has taken yet (undelivered, or buffered in its state). */
  bufferedSignals: 1_000,
  /** The bytes of those signals' data (JSON), together. */
  bufferedSignalBytes: 1024 * 1024,
} as const;

export type Limits = { [K in keyof typeof LIMITS]: number };

/** Byte length of a value's JSON text (UTF-8), without allocating a Buffer. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? 'null');
}

/** Byte length of text in UTF-8, counted here because shared/ has neither TextEncoder nor Buffer. */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Each half of a surrogate pair is one UTF-16 unit and two UTF-8 bytes (a pair is four).
    if (code > 0x7f) bytes += code <= 0x7ff || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}
