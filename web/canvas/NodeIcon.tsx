// Icons for node kinds, by the registry's icon names: small inline SVGs, so they look the same on
// every machine (font glyphs for these symbols are often missing).
import type { ReactElement } from 'react';

const PATHS: Record<string, ReactElement> = {
  play: <path d="M7 4l13 8-13 8z" fill="currentColor" stroke="none" />,
  zap: <path d="M13 2L4 14h7l-1 8 9-12h-7z" />,
  clock: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 3" />
    </>
  ),
  bell: (
    <>
      <path d="M6 16v-5a6 6 0 0112 0v5l2 2H4z" />
      <path d="M10 20a2 2 0 004 0" />
    </>
  ),
  'user-check': (
    <>
      <circle cx="9" cy="8" r="4" />
      <path d="M3 20a6 6 0 0112 0M16 11l2 2 4-4" />
    </>
  ),
  sparkles: <path d="M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2zM19 16l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z" />,
  'git-branch': (
    <>
      <circle cx="6" cy="5" r="2" />
      <circle cx="6" cy="19" r="2" />
      <circle cx="18" cy="7" r="2" />
      <path d="M6 7v10M18 9c0 4-5 5-11 8" />
    </>
  ),
  split: <path d="M3 12h6l6-6h6M9 12l6 6h6" />,
  merge: <path d="M3 6h5l6 6h7M3 18h5l6-6" />,
  workflow: (
    <>
      <rect x="3" y="3" width="7" height="7" rx="1.5" />
      <rect x="14" y="14" width="7" height="7" rx="1.5" />
      <path d="M10 6.5h4a2 2 0 012 2V14" />
    </>
  ),
  flag: <path d="M5 21V4h12l-2.5 4L17 12H5" />,
  'octagon-x': <path d="M8 3h8l5 5v8l-5 5H8l-5-5V8zM9 9l6 6M15 9l-6 6" />,
};

export function NodeIcon({ name, size = 16 }: { name: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden className="cairn-icon">
      {PATHS[name] ?? <circle cx="12" cy="12" r="5" />}
    </svg>
  );
}
