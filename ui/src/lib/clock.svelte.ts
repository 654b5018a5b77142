//! One shared ticking "now" so every relative time on screen ages together.
let now = $state(Date.now());
let started = false;

export function currentTime(): number {
  if (!started && typeof window !== "undefined") {
    started = true;
    setInterval(() => (now = Date.now()), 30_000);
  }
  return now;
}
