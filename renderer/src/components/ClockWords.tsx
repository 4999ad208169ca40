import { clockTime } from '../../../preload/contract'

/**
 * Words that say a time of day ("Paused until Tue 08:00 AM", "Until tomorrow (08:00 AM)") with the
 * time kept on one line: where clocks have 12 hours Chromium puts an ordinary space before AM or
 * PM, so a narrow sidebar or dialog would break "08:00" from its "AM". The words around it wrap
 * as before; `at` is the time `text` says, as clockTime says it (none: the words alone).
 *
 *   <ClockWords text="until Tue 08:00 AM" at={until} />   // until Tue <span class="clock-time">08:00 AM</span>
 */
export function ClockWords({ text, at }: { text: string; at?: number | undefined }) {
  const time = at === undefined ? '' : clockTime(at)
  const start = time === '' ? -1 : text.indexOf(time)
  if (start < 0) return <>{text}</>
  return <>{text.slice(0, start)}<span className="clock-time">{time}</span>{text.slice(start + time.length)}</>
}
