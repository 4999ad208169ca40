/**
 * The addresses the Connect dialog offers to give to another computer
 * (renderer/src/connection.ts): ip:port from this app's multiaddrs. Pure.
 */
import { describe, expect, it } from 'vitest'
import { shareableAddresses } from '../renderer/src/connection.js'

const id = '12D3KooWPycNniiTBJK47ty7d2JBNCZTJdo7wwVNrMbcwddULcZN'

describe('the addresses to give to others', () => {
  it('are the LAN ones, as ip:port, IPv4 first, each once; loopback is left out when there is a LAN one', () => {
    expect(shareableAddresses([
      `/ip4/127.0.0.1/tcp/4001/p2p/${id}`,
      `/ip6/fe80::1/tcp/4001/p2p/${id}`,
      `/ip4/192.168.1.20/tcp/4001/p2p/${id}`,
      `/ip4/192.168.1.20/tcp/4001`,
      `/ip4/10.0.0.5/tcp/4001/p2p/${id}`
    ])).toEqual(['192.168.1.20:4001', '10.0.0.5:4001', '[fe80::1]:4001'])
  })

  it('are loopback when that is all there is, and nothing for what is not TCP or not an address', () => {
    expect(shareableAddresses([`/ip4/127.0.0.1/tcp/37341/p2p/${id}`, `/ip6/::1/tcp/37341/p2p/${id}`])).toEqual(['127.0.0.1:37341', '[::1]:37341'])
    expect(shareableAddresses([`/ip4/192.168.1.20/udp/4001/quic-v1`, '/dns4/example.com/tcp/443', 'not a multiaddr'])).toEqual([])
    expect(shareableAddresses([])).toEqual([])
  })
})
