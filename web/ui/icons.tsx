// The few line icons of the workflows page (16px, currentColor).
export function PlusIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
    </svg>
  );
}

export function UploadIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none">
      <path
        d="M8 10.5V2.5M5 5.25 8 2.25l3 3M2.75 10v2.25c0 .69.56 1.25 1.25 1.25h8c.69 0 1.25-.56 1.25-1.25V10"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function SearchIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none">
      <circle cx="7" cy="7" r="4.25" stroke="currentColor" strokeWidth="1.5" />
      <path d="m10.25 10.25 3.25 3.25" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

/** Three stacked stones, for empty states. */
export function StonesIcon() {
  return (
    <svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true" fill="none">
      <ellipse cx="20" cy="32" rx="13" ry="5" fill="currentColor" opacity="0.35" />
      <ellipse cx="20" cy="22.5" rx="9.5" ry="4.5" fill="currentColor" opacity="0.55" />
      <ellipse cx="20" cy="13.5" rx="6" ry="3.5" fill="currentColor" opacity="0.8" />
    </svg>
  );
}
