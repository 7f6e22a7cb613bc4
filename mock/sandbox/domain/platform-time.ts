// The platform's wall clock: `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8, no daylight saving).

const CST_OFFSET_MS = 8 * 3_600_000;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Recent seconds' texts: a redemption formats the same few seconds again and again (its day, its coupons' dates). */
const recent = new Map<number, string>();
const RECENT_LIMIT = 64;

/** Formats an instant as the platform shows it (`2026-06-02 18:30:00`, CST). */
export function formatCst(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  let text = recent.get(second);
  if (text === undefined) {
    text = formatSecond(second * 1000);
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(second, text);
  }
  return text;
}

function formatSecond(epochMs: number): string {
  const d = new Date(epochMs + CST_OFFSET_MS);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** The CST calendar day of an instant (`2026-06-02`): per-day redemption limits reset at CST midnight. */
export function cstDay(epochMs: number): string {
  return formatCst(epochMs).slice(0, 10);
}

const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})$/;

/** Parses `yyyy-MM-dd HH:mm:ss` (CST) into epoch milliseconds, or null when the text is not in that form. */
export function parseCst(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - CST_OFFSET_MS;
  return formatCst(ms) === text ? ms : null;
}
