/**
 * Client-server mode: the hub (`HubServer`, behind `bin/lanchat server` and
 * the app's "Host a server on this computer") and the client engine
 * (`ClientEngine`, mode 'client'), over the same libp2p stack as P2P.
 *
 * @example
 * ```ts
 * const hub = new HubServer({ dataDir: '/tmp/hub', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
 * await hub.start()
 * const client = new ClientEngine({ dataDir: '/tmp/alice', name: 'alice', server: hub.addrs()[0] })
 * client.on(e => { if (e.type === 'message') console.log(e.seq, e.name, e.text) })
 * await client.start()
 * await client.send('lobby', 'hello')   // delivered with seq 1 once the hub numbers it
 * ```
 */
export { HubServer, type HubOptions, type HubEvent } from './hub.js'
export { ClientEngine, type ClientEngineOptions } from './client-engine.js'
export { HUB_PROTOCOL, HUB_SERVICE_TAG } from './constants.js'
export * from './errors.js'
