/**
 * The disk refuses writes (full): nothing is lost, but nothing is sent or
 * taken in until it has room. Stays while that lasts (a toast would be gone
 * while the problem is not); the engine's `writes:resumed` takes it away.
 */
export function WritesBanner({ reason }: { reason: string | null }) {
  if (reason === null) return null
  return (
    <div className="banner warn" role="alert" data-testid="writes-banner">
      Disk full: sending and receiving are paused
      <span className="muted small">{reason}</span>
    </div>
  )
}
