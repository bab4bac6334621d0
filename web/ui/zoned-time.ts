// A time as a given IANA zone reads it ("Mon, Dec 7, 2026, 11:15 AM"): a schedule's fire times are
// shown in the zone its cron expression is written in, whoever looks.
export function zonedTime(iso: string, timeZone: string): string {
  try {
    return new Date(iso).toLocaleString(undefined, { timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  } catch {
    return new Date(iso).toISOString();
  }
}
