//! The expiry watch's interval choices on the Settings page.

/** What the select offers; a saved value outside it (set elsewhere) is kept as a choice. */
export const INTERVALS = [15, 30, 60, 120, 240, 480, 1440];

export function intervalChoices(saved: number): number[] {
  return INTERVALS.includes(saved) ? INTERVALS : [...INTERVALS, saved].sort((a, b) => a - b);
}

export function intervalLabel(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  const h = minutes / 60;
  return h === 1 ? "hour" : `${h} hours`;
}
