import { logger } from '@libp2p/logger'

/** A line logger on libp2p's logger (the `debug` module): `DEBUG=lanchat*` turns it on. */
export function libp2pLog (component: string): (line: string) => void {
  const log = logger(component)
  return line => { log('%s', line) }
}
