import { hueOf, initials } from '../format'

export function Avatar({ id, name, size = 36 }: { id: string; name: string; size?: number }) {
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.4, ['--hue' as string]: hueOf(id) }}>
      {initials(name)}
    </span>
  )
}
