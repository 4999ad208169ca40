import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, startPeer, until } from '../../test/helpers/peers.js'
import { dialAddress, toMultiaddr } from './address.js'

describe('toMultiaddr (Connect to address)', () => {
  it.each([
    ['192.168.1.20:4001', '/ip4/192.168.1.20/tcp/4001'],
    ['  10.0.0.7:80 ', '/ip4/10.0.0.7/tcp/80'],
    ['[::1]:4001', '/ip6/::1/tcp/4001'],
    ['laptop.local:4001', '/dns/laptop.local/tcp/4001'],
    ['/ip4/127.0.0.1/tcp/5000/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', '/ip4/127.0.0.1/tcp/5000/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA']
  ])('turns %j into %s', (input, expected) => {
    expect(toMultiaddr(input)).toBe(expected)
  })

  it.each([
    ['', /empty/],
    ['hello there', /not an address LAN Chat understands/],
    ['http://1.2.3.4:80', /not an address LAN Chat understands/],
    // The computer without its port: said so, with the address as it should be.
    ['1.2.3.4', /^"1\.2\.3\.4" has no port: add the one LAN Chat shows on that computer .*, like 1\.2\.3\.4:4001\.$/],
    ['laptop.local', /^"laptop\.local" has no port: .*, like laptop\.local:4001\.$/],
    ['fe80::1', /has no port: .*, like \[fe80::1\]:4001\.$/],
    ['[::1]', /has no port: .*, like \[::1\]:4001\.$/],
    ['256.1.1.1:80', /not a valid IPv4 address/],
    ['1.2.3.4:0', /port is a number from 1 to 65535/],
    ['1.2.3.4:65536', /port is a number from 1 to 65535/],
    ['/ip4/1.2.3.4', /no \/tcp\/ part/],
    ['/ip4/999.1.1.1/tcp/1', /not a valid multiaddr/],
    ['/nonsense/x', /not a valid multiaddr/],
    // What libp2p took and failed on later, in its own words (a --dial of one was retried forever).
    ['/ip4/1.2.3.4/tcp/4001/p2p/notapeerid', /^"\/ip4\/1\.2\.3\.4\/tcp\/4001\/p2p\/notapeerid" ends in "notapeerid", which is not a peer id \(a LAN Chat peer id starts with 12D3KooW\)\. /],
    ['/ip4/1.2.3.4/tcp/4001/ws', /goes on after its port with \/ws: LAN Chat speaks plain TCP/],
    ['/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit', /goes on after its port with \/p2p\/p2p-circuit/],
    ['/ip4/1.2.3.4/tcp/0', /port is a number from 1 to 65535/],
    ['/ip4/1.2.3.4/udp/53/tcp/4001', /a multiaddr starts \/ip4\/, \/ip6\/ or \/dns\/ and then \/tcp\/PORT/]
  ])('refuses %j with a readable BadAddressError', (input, message) => {
    expect(() => toMultiaddr(input)).toThrow(expect.objectContaining({ name: 'BadAddressError', message: expect.stringMatching(message) }))
  })

  it('takes port 0 (any free port) only for an address to listen on', () => {
    expect(toMultiaddr('0.0.0.0:0', { listen: true })).toBe('/ip4/0.0.0.0/tcp/0')
    expect(toMultiaddr('/ip4/0.0.0.0/tcp/0', { listen: true })).toBe('/ip4/0.0.0.0/tcp/0')
    expect(toMultiaddr('/dns4/laptop.local/tcp/4001')).toBe('/dns4/laptop.local/tcp/4001')
    expect(toMultiaddr('127.0.0.1:4001', { listen: true })).toBe('/ip4/127.0.0.1/tcp/4001')
    expect(() => toMultiaddr('1.2.3.4:65536', { listen: true })).toThrow(/port is a number from 0 to 65535/)
    expect(() => toMultiaddr('0.0.0.0', { listen: true })).toThrow('"0.0.0.0" has no port: add one, like 0.0.0.0:0 (0: any free port).')
  })
})

describe('an IPv6 address with its zone (a link-local one names its interface)', () => {
  afterEach(cleanup)

  it('is taken as typed, and dialed', async () => {
    expect(toMultiaddr('/ip6zone/eth0/ip6/fe80::1/tcp/4001')).toBe('/ip6zone/eth0/ip6/fe80::1/tcp/4001')
    expect(toMultiaddr('/ip6zone/eth0/ip6/fe80::1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA')).toBe('/ip6zone/eth0/ip6/fe80::1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA')
    expect(() => toMultiaddr('/ip6zone/eth0/tcp/4001')).toThrow(/a multiaddr starts \/ip4\/, \/ip6\/ or \/dns\/ and then \/tcp\/PORT/)
    // Real engines: the loopback interface's zone stands for an interface's here (every machine has one).
    const ann = await startPeer('ann', { listen: ['/ip6/::1/tcp/0'] })
    const ben = await startPeer('ben')
    const port = ann.addr().split('/tcp/')[1]!.split('/')[0]!
    const dialed = await dialAddress(ben.engine, `/ip6zone/lo/ip6/::1/tcp/${port}/p2p/${ann.engine.peerId}`)
    expect(dialed.peerId).toBe(ann.engine.peerId)
    await until('linked', () => ben.engine.peers().some(p => p.peerId === ann.engine.peerId && p.connected))
  })
})
