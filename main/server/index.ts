/**
 * The hub of client-server mode (`HubServer`, behind `bin/lanchat server`
 * and the app's "Host a server on this computer"): a peer with another role,
 * built from the same node factory, framing, verification and codecs as the
 * mesh. Clients are the one Engine in mode 'client'.
 *
 * @example
 * ```ts
 * const hub = new HubServer({ dataDir: '/tmp/hub', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
 * await hub.start()
 * const client = new Engine({ dataDir: '/tmp/alice', name: 'alice', mode: 'client', server: hub.addrs()[0] })
 * client.on(e => { if (e.type === 'message') console.log(e.seq, e.name, e.text) })
 * await client.start()
 * await client.send('lobby', 'hello')   // delivered with seq 1 once the hub numbers it
 * ```
 */
export { HubServer, type HubOptions, type HubEvent } from './hub.js'
export { HUB_PROTOCOL, HUB_SERVICE_TAG } from '../net/constants.js'
export * from './errors.js'
