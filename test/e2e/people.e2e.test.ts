/**
 * End to end: what is live about people, through the UI in Chromium. Typing
 * in the composer shows "Alice is typing…" under Bob's list until Alice's
 * message arrives; Alice setting herself away turns her dot in Bob's peer
 * list and next to her name to "away"; closing her app shows her offline
 * with when she was last seen. "@" in the composer completes names; a
 * mention is highlighted and counted per room. A link opens through the host.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { LAUNCHER, chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount, send, useSession, type Peer } from './harness.js'
import { openTab, selfId } from './views.js'
import { cleanup, startPeer, stopPeer, until, type TestPeer } from '../helpers/peers.js'
import { loadOrCreateIdentity } from '../../main/store/identity.js'
import { cleanupHubs, startClient, startHub } from '../helpers/hub.js'
import { fingerprint } from '../../main/chat/views.js'
import { Attacker } from '../helpers/attacker.js'
import { noise } from '@chainsafe/libp2p-noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { createLibp2p } from 'libp2p'
import { FEATURE_LEVEL, HUB_PROTOCOL } from '../../main/net/constants.js'
import { decodeHubFrame, encodeHubFrame } from '../../main/net/hub-codec.js'

const session = useSession()

/** What axe finds wrong on the page as it is now (the open list, the marked message). */
const violations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))

/** `who` closes their app; once their row (on another page) reads offline, its Forget takes it off the list. */
async function forgetWhenGone(who: Peer, row: Locator): Promise<void> {
  session.open.splice(session.open.indexOf(who), 1)
  await who.close()
  await eventually(async () => (await row.getByRole('img').first().getAttribute('aria-label')) ?? '').toMatch(/^offline/)
  await row.hover()
  await row.getByRole('button', { name: /^Forget / }).click()
  await eventually(() => row.count()).toBe(0)
}

/**
 * Whether a member row's build words, shown on a click, sit on a line of their own under the name
 * and its tag, as a status does, not run on from the tag ("olderRuns an older LAN Chat…").
 */
async function hintUnderName(row: Locator): Promise<boolean> {
  const tag = await row.getByTestId('member-build').boundingBox()
  const hint = await row.getByTestId('member-build-hint').boundingBox()
  return tag !== null && hint !== null && hint.y >= tag.y + tag.height - 1 && hint.x < tag.x
}

describe('people', () => {
  it('shows who is typing until their message comes, and their presence in the peer list and next to their name', async () => {
    const { a, b } = await session.pair()
    const typing = b.page.getByTestId('typing')
    await expect(typing.textContent()).resolves.toBe('')
    await a.page.getByRole('textbox', { name: /^Message #/ }).pressSequentially('hello th', { delay: 20 })
    await eventually(() => typing.textContent()).toBe('Alice is typing…')
    // The line is a polite live region: screen readers hear it without losing their place.
    await expect(typing.getAttribute('role')).resolves.toBe('status')
    await send(a.page, 'hello there')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'hello there' }).count()).toBe(1)
    await eventually(() => typing.textContent()).toBe('')

    // Presence: a dot with a label, in the peer list and next to her name on her message.
    const alice = b.page.getByTestId('peer').filter({ hasText: /^Alice/ })
    await eventually(() => alice.getByRole('img', { name: 'online' }).count()).toBe(1)
    await a.page.getByRole('button', { name: /^You are online: set yourself away$/ }).click()
    await eventually(() => alice.getByRole('img', { name: 'away' }).count()).toBe(1)
    const byline = b.page.getByTestId('message').filter({ hasText: 'hello there' })
    await eventually(() => byline.getByRole('img', { name: 'away' }).count()).toBe(1)
    // Drawn as away in the list too, not only named so: the colour of the byline's away dot, not the online one.
    const colour = (dot: Locator): Promise<string> => dot.evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(el).backgroundColor)
    const awayColour = await colour(byline.getByRole('img', { name: 'away' }))
    await expect(colour(alice.getByRole('img', { name: 'away' }))).resolves.toBe(awayColour)
    expect(awayColour).not.toBe(await colour(b.page.locator('.own-presence .presence')))
    await expect(violations(b.page)).resolves.toEqual([])
    await a.page.getByRole('button', { name: /^You are away: set yourself online$/ }).click()
    await eventually(() => alice.getByRole('img', { name: 'online' }).count()).toBe(1)
    // In a conversation with her, the header says how she is, not how many are online.
    await alice.getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => b.page.getByTestId('reach').textContent()).toBe('online')

    // Alice leaves: offline, with when she was last seen, in the list and in that header.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(async () => (await alice.getByRole('img').getAttribute('aria-label')) ?? '').toMatch(/^offline, last seen \d/)
    await eventually(() => b.page.getByTestId('reach').textContent()).toMatch(/^offline, last seen \d/)
    await b.page.locator('button[data-room="lobby"]').click()
    await eventually(() => b.page.getByTestId('reach').textContent()).toBe('no peers online')
  })

  it('connecting to one peer by address links to the peers it is linked to, and the chat goes on without it', async () => {
    const { a, b } = await session.pair()
    const c = await openPeer(session.browser)
    session.open.push(c)
    await chooseName(c.page, 'Carol')
    // Carol types Alice's address only (no LAN discovery here, as on Wi-Fi that filters it).
    await connectByAddress(c.page, `127.0.0.1:${await listenPort(a.page)}`)
    await eventually(() => peerCount(c.page)).toBe('2 peers connected')
    await eventually(() => peerCount(b.page)).toBe('2 peers connected')
    // Bob came with Alice: a socket of Carol's own to him, as the Sockets panel lists it.
    await openTab(c.page, 'Sockets')
    await eventually(() => c.page.getByTestId('socket-panel').getByTestId('socket').filter({ hasText: 'Bob' }).count()).toBe(1)
    // Alice closes her app: Carol and Bob still chat, over their own link.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(() => peerCount(c.page)).toBe('1 peer connected')
    await send(b.page, 'still here without Alice')
    await eventually(() => c.page.getByTestId('message').filter({ hasText: 'still here without Alice' }).count()).toBe(1)
  })

  it('someone who takes your name is told to you as such, with your key beside theirs; to others as two peers of one name', async () => {
    const { a, b } = await session.pair()
    const c = await openPeer(session.browser)
    session.open.push(c)
    await chooseName(c.page, 'Alice')
    await connectByAddress(c.page, `127.0.0.1:${await listenPort(a.page)}`)
    const toast = (p: Peer, title: string) => p.page.locator('.toast').filter({ hasText: title })
    await eventually(() => toast(a, 'Someone has your name').count()).toBe(1)
    const said = (await toast(a, 'Someone has your name').textContent()) ?? ''
    const [, theirs, mine] = /"Alice" \(([0-9a-f]{4}·[0-9a-f]{4})\) uses your name \(your key is ([0-9a-f]{4}·[0-9a-f]{4})\): check the fingerprint/.exec(said) ?? []
    expect(theirs, said).toBeDefined()
    expect(mine).not.toBe(theirs)
    // The key it gives as hers is the one under her name, which she can read out to whoever asks.
    expect(await a.page.getByTestId('self-key').textContent()).toBe(`key ${mine}`)
    expect(await c.page.getByTestId('self-key').textContent()).toBe(`key ${theirs}`)
    // Bob, who is neither, reads it as two peers of one name, both keys given.
    await eventually(() => toast(b, 'Two peers, one name').textContent()).toContain(`uses the name of ${mine}`)
    // In the conversation each Alice's messages carry her key beside the name; Bob's, a name nobody shares, do not.
    await send(a.page, 'the first Alice')
    await send(c.page, 'the other Alice')
    await send(b.page, 'only one Bob')
    const keyOf = (p: Peer, text: string) => p.page.getByTestId('message').filter({ hasText: text }).getByTestId('author-key')
    for (const p of [a, b]) {
      await eventually(() => keyOf(p, 'the other Alice').textContent()).toBe(theirs)
      await eventually(() => keyOf(p, 'the first Alice').textContent()).toBe(mine)
      await eventually(() => p.page.getByTestId('message').filter({ hasText: 'only one Bob' }).count()).toBe(1)
      expect(await keyOf(p, 'only one Bob').count()).toBe(0)
    }
    // Bob's peer list tells the two apart the same way.
    await eventually(async () => (await b.page.getByTestId('peer-key').allTextContents()).sort()).toEqual([mine, theirs].sort())
  })

  it('counts as online the people reached through another peer, not only the links, and lists them with those online', async () => {
    // A line: Carol is linked to Bob only, and sees Alice online through him.
    const { a, b } = await session.pair()
    const c = await openPeer(session.browser)
    session.open.push(c)
    await chooseName(c.page, 'Carol')
    // Kept apart as the partition lab would: Bob would otherwise tell each of them of the other, and they would link.
    await c.host.call('partition', { peerId: await selfId(a) })
    await a.host.call('partition', { peerId: await selfId(c) })
    await connectByAddress(c.page, `127.0.0.1:${await listenPort(b.page)}`)
    await eventually(() => c.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('img', { name: 'online' }).count()).toBe(1)
    await expect(peerCount(c.page)).resolves.toBe('1 peer connected')
    await eventually(() => c.page.getByTestId('reach').textContent()).toBe('2 peers online')
    await expect(c.page.getByTestId('online-count').textContent()).resolves.toBe('2 online')
    // Listed with those online, by name: who is linked to whom is not what the list is about.
    const listed = () => c.page.getByTestId('peer').locator('.peer-name').allTextContents()
    await expect(listed()).resolves.toEqual(['Alice', 'Bob'])

    // Alice closes her app: Carol hears it through Bob, and Alice goes below those online.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(() => c.page.getByTestId('reach').textContent()).toBe('1 peer online')
    await expect(c.page.getByTestId('online-count').textContent()).resolves.toBe('1 online')
    await eventually(listed).toEqual(['Bob', 'Alice'])
  })

  it('a peer on an older LAN Chat is marked older in the list, and the user is told once what it misses', async () => {
    const a = await openPeer(session.browser)
    session.open.push(a)
    await chooseName(a.page, 'Teacher')
    // Builds from before hellos said their version: a stock node whose hello says none.
    const olga = await Attacker.connect(`/ip4/127.0.0.1/tcp/${await listenPort(a.page)}/p2p/${await selfId(a)}`, 'Olga')
    try {
      const row = a.page.getByTestId('peer').filter({ hasText: /^Olga/ })
      await eventually(() => row.getByTestId('peer-build').textContent()).toBe('older')
      await expect(row.getByTestId('peer-build').getAttribute('title')).resolves.toMatch(/^Runs an older LAN Chat: reactions in private conversations show to them as 🔒/)
      await expect(row.locator('.peer-name').getAttribute('title')).resolves.toMatch(/ · older LAN Chat$/)
      const toast = a.page.locator('.toast').filter({ hasText: 'An older LAN Chat' })
      await eventually(() => toast.count()).toBe(1)
      await expect(toast.textContent()).resolves.toContain('Olga runs an older LAN Chat')
      expect(await violations(a.page)).toEqual([])
    } finally {
      await olga.stop()
    }
  })

  it('a room\'s Members panel tags people on another LAN Chat as the people list does', async () => {
    const a = await openPeer(session.browser)
    session.open.push(a)
    await chooseName(a.page, 'Teacher')
    const address = `/ip4/127.0.0.1/tcp/${await listenPort(a.page)}/p2p/${await selfId(a)}`
    // Builds from before hellos said their version: a stock node whose hello says none.
    const olga = await Attacker.connect(address, 'Olga')
    // And one on a newer build than this one.
    const nova = await Attacker.connect(address, 'Nova', { hello: false })
    try {
      nova.frame({ type: 'hello', name: 'Nova', version: 1, app: { version: '9.0.0', level: FEATURE_LEVEL + 1 } })
      const inList = a.page.getByTestId('peer').filter({ hasText: /^Nova/ })
      await eventually(() => inList.getByTestId('peer-build').textContent()).toBe('newer')
      await a.page.getByRole('button', { name: 'Members', exact: true }).click()
      const members = a.page.getByRole('dialog', { name: 'Members' })
      const row = (name: string) => members.getByTestId('member').filter({ hasText: name })
      await eventually(() => row('Olga').getByTestId('member-build').textContent()).toBe('older')
      await expect(row('Nova').getByTestId('member-build').textContent()).resolves.toBe('newer')
      // The same words as the people list's tag, for a mouse and, on a click, as text.
      await expect(row('Nova').getByTestId('member-build').getAttribute('title')).resolves.toBe(await inList.getByTestId('peer-build').getAttribute('title'))
      await expect(row('Olga').getByTestId('member-build').getAttribute('title')).resolves.toMatch(/^Runs an older LAN Chat: reactions in private conversations show to them as 🔒/)
      await row('Olga').getByTestId('member-build').click()
      await expect(row('Olga').getByTestId('member-build-hint').textContent()).resolves.toMatch(/^Runs an older LAN Chat/)
      await expect(hintUnderName(row('Olga'))).resolves.toBe(true)
      // We run this build: no tag on our own row.
      await expect(row('You').getByTestId('member-build').count()).resolves.toBe(0)
      expect(await violations(a.page)).toEqual([])
    } finally {
      await olga.stop()
      await nova.stop()
    }
  })

  it('an invite-only room\'s members dialog tags members on another LAN Chat as the people list does', async () => {
    const a = await openPeer(session.browser)
    session.open.push(a)
    await chooseName(a.page, 'Teacher')
    const address = `/ip4/127.0.0.1/tcp/${await listenPort(a.page)}/p2p/${await selfId(a)}`
    const { room, invite } = await a.host.call('createPrivateRoom', { name: 'Staff' })
    // Olga and Nova join it on this build, then come back under the same keys on others: before
    // hellos said their version (Olga), and a newer one (Nova).
    const keys = []
    try {
      for (const name of ['Olga', 'Nova']) {
        const p = await startPeer(name)
        await p.engine.dial(address)
        await p.engine.joinInvite(invite)
        await eventually(async () => (await a.host.call('privateRoom', { room })).members.includes(p.engine.peerId)).toBe(true)
        keys.push(await loadOrCreateIdentity(p.dataDir))
        await stopPeer(p)
      }
    } finally {
      await cleanup()
    }
    const olga = await Attacker.connect(address, 'Olga', { key: keys[0]! })
    const nova = await Attacker.connect(address, 'Nova', { key: keys[1]!, hello: false })
    try {
      nova.frame({ type: 'hello', name: 'Nova', version: 1, app: { version: '9.0.0', level: FEATURE_LEVEL + 1 } })
      const inList = (name: string) => a.page.getByTestId('peer').filter({ hasText: new RegExp(`^${name}`) })
      await eventually(() => inList('Nova').getByTestId('peer-build').textContent()).toBe('newer')
      await eventually(() => inList('Olga').getByTestId('peer-build').textContent()).toBe('older')
      await a.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Staff/ }).click()
      await a.page.getByRole('button', { name: 'Members', exact: true }).click()
      const members = a.page.getByRole('dialog', { name: 'Members' })
      const row = (name: string) => members.getByTestId('member').filter({ hasText: name })
      await eventually(() => members.getByTestId('member').count()).toBe(3)
      await eventually(() => row('Olga').getByTestId('member-build').textContent()).toBe('older')
      await expect(row('Nova').getByTestId('member-build').textContent()).resolves.toBe('newer')
      // The same words as the people list's tag, for a mouse and, on a click, as text.
      for (const name of ['Olga', 'Nova']) await expect(row(name).getByTestId('member-build').getAttribute('title')).resolves.toBe(await inList(name).getByTestId('peer-build').getAttribute('title'))
      await row('Olga').getByTestId('member-build').click()
      await expect(row('Olga').getByTestId('member-build-hint').textContent()).resolves.toMatch(/^Runs an older LAN Chat/)
      await expect(hintUnderName(row('Olga'))).resolves.toBe(true)
      // We run this build: no tag on our own row. It has its presence dot, as a public room's list has it.
      await expect(row('You').getByTestId('member-build').count()).resolves.toBe(0)
      await expect(row('You').getByRole('img', { name: 'online' }).count()).resolves.toBe(1)
      expect(await violations(a.page)).toEqual([])
    } finally {
      await olga.stop()
      await nova.stop()
    }
  })

  it('in client–server mode a fellow client on an older LAN Chat is marked older too, as its hub tells', async () => {
    const hub = await startHub()
    // Builds from before hellos said their version: a stock node whose hello to the hub says none.
    const node = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    try {
      const stream = await node.dialProtocol(multiaddr(hub.addr()), HUB_PROTOCOL)
      stream.send(lp.encode.single(encodeHubFrame({ type: 'hello', name: 'Otto', version: 1, seq: 0 })))
      const a = await openPeer(session.browser, { defaults: { name: 'Teacher', mode: 'client-server', server: hub.addr() } })
      session.open.push(a)
      const row = a.page.getByTestId('peer').filter({ hasText: /^Otto/ })
      await eventually(() => row.getByTestId('peer-build').textContent()).toBe('older')
      await expect(row.getByTestId('peer-build').getAttribute('title')).resolves.toMatch(/^Runs an older LAN Chat: reactions in private conversations show to them as 🔒/)
      // A client on this build, as the hub tells it too, has no mark.
      await startClient('Ben', hub.addr())
      await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Ben/ }).count()).toBe(1)
      await expect(a.page.getByTestId('peer').filter({ hasText: /^Ben/ }).getByTestId('peer-build').count()).resolves.toBe(0)
    } finally {
      await node.stop()
      await cleanupHubs()
    }
  })

  it('the hub\'s older mark says what an older hub misses, not what a person would', async () => {
    // A hub one level older: a stock node answering a client's hello as such a hub does, with its build and largest file.
    const node = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    await node.handle(HUB_PROTOCOL, (stream) => {
      void (async () => {
        try {
          for await (const chunk of lp.decode(stream)) {
            if (decodeHubFrame(chunk.subarray()).type === 'hello') stream.send(lp.encode.single(encodeHubFrame({ type: 'hello', name: 'Oldhub', version: 1, seq: 0, app: { version: '0.1.0', level: FEATURE_LEVEL - 1 }, maxFileBytes: 2 ** 30 })))
          }
        } catch { /* the client went */ }
      })()
    })
    try {
      const a = await openPeer(session.browser, { defaults: { name: 'Teacher', mode: 'client-server', server: node.getMultiaddrs()[0]!.toString() } })
      session.open.push(a)
      const row = a.page.getByTestId('peer').filter({ hasText: /^Oldhub/ })
      await eventually(() => row.getByTestId('peer-build').textContent()).toBe('older')
      // Nothing private is written to a hub: no word of private texts going unpadded to it.
      await expect(row.getByTestId('peer-build').getAttribute('title')).resolves.toBe('Runs an older LAN Chat (0.1.0): newer things may not reach everyone')
      await row.getByTestId('peer-build').click()
      await expect(row.getByTestId('peer-build-hint').textContent()).resolves.toBe('Runs an older LAN Chat (0.1.0): newer things may not reach everyone')
    } finally {
      await node.stop()
    }
  })

  it('a long peer list gets a box that finds a person by name, accents aside', async () => {
    const a = await openPeer(session.browser)
    session.open.push(a)
    await chooseName(a.page, 'Teacher')
    const address = `/ip4/127.0.0.1/tcp/${await listenPort(a.page)}`
    const names = ['Ana', 'Åsa Berg', 'Ben', 'Chloé', 'Dev', 'Eli', 'Fin', 'Gus', 'Hana', 'Ivo']
    const pupils: TestPeer[] = []
    try {
      const join = async (name: string): Promise<void> => {
        const p = await startPeer(name)
        pupils.push(p)
        await p.engine.dial(address)
      }
      for (const name of names.slice(0, 9)) await join(name)
      const rows = a.page.getByTestId('peer')
      await eventually(() => rows.count()).toBe(9)
      const find = a.page.getByRole('searchbox', { name: 'Find a person' })
      // Nine fit in a glance: no box.
      await expect(find.count()).resolves.toBe(0)
      await join(names[9]!)
      await eventually(() => rows.count()).toBe(10)
      await eventually(() => find.count()).toBe(1)
      // Scrolled to the list's end, the box is still in view at its top.
      const section = a.page.getByRole('region', { name: 'Peers' })
      const scrolled = await section.evaluate((el) => { el.scrollTop = el.scrollHeight; return el.scrollTop })
      expect(scrolled).toBeGreaterThan(0)
      const [box, area] = await Promise.all([find.boundingBox(), section.boundingBox()])
      expect(box!.y).toBeGreaterThanOrEqual(area!.y)
      expect(box!.y).toBeLessThan(area!.y + 20)
      // Typed without the accent, in lower case: Åsa.
      await find.fill('asa')
      await eventually(() => rows.locator('.peer-name').allTextContents()).toEqual(['Åsa Berg'])
      await find.fill('chloe')
      await eventually(() => rows.locator('.peer-name').allTextContents()).toEqual(['Chloé'])
      // Her row works as in the full list: a direct message to her.
      await rows.getByRole('button', { name: 'Message Chloé privately' }).click()
      await eventually(() => a.page.getByRole('textbox', { name: 'Message @Chloé' }).count()).toBe(1)
      await find.fill('zoe')
      await eventually(() => a.page.getByText('Nobody called “zoe” here.').count()).toBe(1)
      await expect(rows.count()).resolves.toBe(0)
      // The box and what it says are named and readable.
      expect(await violations(a.page)).toEqual([])
      // Escape empties the box: everyone again.
      await find.press('Escape')
      await expect(find.inputValue()).resolves.toBe('')
      await eventually(() => rows.count()).toBe(10)
      await until('every pupil still linked somewhere', () => pupils.every(p => p.engine.peers().some(q => q.connected)))
    } finally {
      await cleanup()
    }
  })

  it('blocking a peer folds what it writes, through the others, and counts none of it unread; unblocking shows it again', async () => {
    const { a, b, c } = await session.trio()
    // Alice blocks Bob from his row in the peer list: asked first.
    const bobRow = a.page.getByTestId('peer').filter({ hasText: /^Bob/ })
    await bobRow.hover()
    await bobRow.getByRole('button', { name: 'Block Bob' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Block' })
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Block Bob?')
    expect(await violations(a.page)).toEqual([])
    await dialog.getByRole('button', { name: 'Block', exact: true }).click()
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => bobRow.getByText('blocked').count()).toBe(1)
    await eventually(() => peerCount(a.page)).toBe('1 peer connected')
    // In a narrow window his address ends before the row's Unblock, not under it.
    const size = a.page.viewportSize()!
    await a.page.setViewportSize({ width: 700, height: size.height })
    const addr = await bobRow.locator('.peer-addr').boundingBox()
    const button = await bobRow.getByRole('button', { name: 'Unblock Bob' }).boundingBox()
    expect(addr!.x + addr!.width).toBeLessThanOrEqual(button!.x)
    // Its text does not run on past its box (under the button): it fits, or it ends in "…".
    const ends = await bobRow.locator('.peer-addr').evaluate((el) => {
      const css = el.ownerDocument.defaultView!.getComputedStyle(el)
      return el.scrollWidth <= el.clientWidth || (css.overflowX === 'hidden' && css.textOverflow === 'ellipsis')
    })
    expect(ends).toBe(true)
    // His name's "blocked" tag stays whole: inside the name's box, not cut off at its end.
    const tag = await bobRow.getByText('blocked', { exact: true }).boundingBox()
    const name = await bobRow.locator('.peer-name').boundingBox()
    expect(tag!.x + tag!.width).toBeLessThanOrEqual(name!.x + name!.width + 0.5)
    await a.page.setViewportSize(size)

    // Alice reads Carol's direct conversation meanwhile: the lobby counts what comes there.
    await a.page.getByTestId('peer').filter({ hasText: /^Carol/ }).getByRole('button', { name: 'Message Carol privately' }).click()
    await send(b.page, 'buy my stuff')
    await eventually(() => c.page.getByTestId('message').filter({ hasText: 'buy my stuff' }).count()).toBe(1)
    await send(c.page, 'lunch at noon?')
    const lobby = a.page.locator('[data-room="lobby"]')
    // Carol's message is one unread; Bob's, which came first, none.
    await eventually(() => lobby.getByLabel('1 unread').count()).toBe(1)
    await lobby.click()
    const rows = a.page.getByTestId('message')
    await eventually(() => rows.count()).toBe(2)
    // In its place, by Lamport order, folded: his words are not on the page until Show.
    await expect(rows.first().getAttribute('data-blocked')).resolves.toBe('true')
    await expect(rows.first().getByTestId('message-text').textContent()).resolves.toBe('A message from Bob, whom you blocked')
    await expect(a.page.getByText('buy my stuff').count()).resolves.toBe(0)
    await expect(rows.nth(1).getByTestId('message-text').textContent()).resolves.toBe('lunch at noon?')
    // The folded line, its Show and the row's Unblock are readable and named, light and dark.
    expect(await violations(a.page)).toEqual([])
    await a.page.emulateMedia({ colorScheme: 'dark' })
    expect(await violations(a.page)).toEqual([])
    await a.page.emulateMedia({ colorScheme: 'light' })
    // His reaction is not counted, Carol's is; and @-completion does not offer him.
    const lunch = (await c.host.call('history', { room: 'lobby' })).find((m) => m.text === 'lunch at noon?')!
    await b.host.call('react', { room: 'lobby', id: lunch.id, emoji: '👍' })
    await c.host.call('react', { room: 'lobby', id: lunch.id, emoji: '👍' })
    await eventually(async () => (await a.host.call('history', { room: 'lobby' })).find((m) => m.id === lunch.id)?.reactions?.[0]?.by.length).toBe(2)
    await eventually(() => rows.nth(1).locator('.reactions .chip').allTextContents()).toEqual(['👍 1'])
    const box = a.page.getByRole('textbox', { name: /^Message #/ })
    await box.pressSequentially('@')
    const offered = a.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option')
    await eventually(() => offered.allTextContents()).toContain('@Carol')
    expect(await offered.allTextContents()).not.toContain('@Bob')
    await box.fill('')
    // Nor are his words in a search.
    await a.page.keyboard.press('Control+f')
    const search = a.page.getByRole('dialog', { name: 'Search messages' })
    await a.page.getByLabel('Words to find').fill('stuff')
    await eventually(() => search.getByTestId('search-hit').textContent()).toMatch(/Bob .*: a message from someone you blocked$/)
    await search.getByRole('button', { name: 'Close' }).click()
    // Carol answers him: her reply shows on Alice's page without quoting his words.
    const his = (await c.host.call('history', { room: 'lobby' })).find((m) => m.text === 'buy my stuff')!
    await c.host.call('send', { room: 'lobby', text: 'no thanks', replyTo: his.id })
    const reply = rows.filter({ hasText: 'no thanks' })
    await eventually(() => reply.getByTestId('quote').textContent()).toBe('↪ Bob: a message from someone you blocked')
    await rows.first().getByRole('button', { name: 'Show' }).click()
    await eventually(() => rows.first().getByTestId('message-text').textContent()).toBe('buy my stuff')

    // He writes to her privately (through Carol): the conversation is listed, folded, and has no
    // message box; it says why, and offers Unblock there.
    const alice = await selfId(a)
    await b.host.call('send', { to: alice, text: 'psst, a deal for you' })
    const dms = a.page.getByRole('navigation', { name: 'Direct messages' })
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(1)
    await dms.getByRole('button', { name: /^Private Bob/ }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    const closed = a.page.getByRole('status').filter({ hasText: 'You blocked Bob' })
    await eventually(() => closed.textContent()).toBe('You blocked Bob: what they write shows folded, and you cannot write to them. Unblock')
    await expect(a.page.getByRole('textbox', { name: /^Message @/ }).count()).resolves.toBe(0)
    await eventually(() => rows.first().getByTestId('message-text').textContent()).toBe('A message from Bob, whom you blocked')
    expect(await violations(a.page)).toEqual([])

    // Unblocked there: his row loses the mark, his link comes back, the composer is back, and what he writes shows as it is.
    await closed.getByRole('button', { name: 'Unblock' }).click()
    await eventually(() => bobRow.getByText('blocked').count()).toBe(0)
    await eventually(() => peerCount(a.page)).toBe('2 peers connected')
    await eventually(() => a.page.getByRole('textbox', { name: 'Message @Bob' }).count()).toBe(1)
    await lobby.click()
    await send(b.page, 'sorry, wrong room')
    await eventually(() => rows.filter({ hasText: 'sorry, wrong room' }).count()).toBe(1)
    await expect(a.page.locator('[data-blocked]').count()).resolves.toBe(0)

    // Blocked again and his conversation closed: what he writes there does not list it again; unblocked, it is.
    const room = (await a.host.call('dms')).find((d) => d.name === 'Bob')!.room
    await a.host.call('block', { peerId: await selfId(b) })
    await eventually(() => bobRow.getByText('blocked').count()).toBe(1)
    await dms.getByRole('button', { name: /^Private Bob/ }).hover()
    await dms.getByRole('button', { name: 'Close the conversation with Bob' }).click()
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(0)
    await b.host.call('send', { to: alice, text: 'are you there?' })
    await eventually(async () => (await a.host.call('history', { room })).some((m) => m.text === 'are you there?')).toBe(true)
    await expect(dms.getByRole('button', { name: /^Private Bob/ }).count()).resolves.toBe(0)
    await bobRow.hover()
    await bobRow.getByRole('button', { name: 'Unblock Bob' }).click()
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(1)
  })

  it('blocking someone takes what they wrote off the unread count and the mentions at once, others\' stay; unblocked, it counts again', async () => {
    const { a, b, c } = await session.trio()
    const lobby = a.page.locator('[data-room="lobby"]')
    // Alice reads the lobby (where she left off is marked), then goes to another room.
    await c.host.call('send', { room: 'lobby', text: 'morning all' })
    await eventually(() => a.page.getByTestId('message').filter({ hasText: 'morning all' }).count()).toBe(1)
    await eventually(async () => (await a.host.call('snapshot')).settings.seen?.lobby !== undefined).toBe(true)
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').fill('kitchen')
    await a.page.getByRole('button', { name: 'Join room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
    await b.host.call('send', { room: 'lobby', text: 'buy my stuff' })
    await b.host.call('send', { room: 'lobby', text: '@Alice buy it now' })
    await c.host.call('send', { room: 'lobby', text: 'lunch at noon?' })
    await eventually(() => lobby.getByLabel('3 unread').count()).toBe(1)
    await eventually(() => lobby.getByTestId('mention-count').textContent()).toBe('@1')

    await a.host.call('block', { peerId: await selfId(b) })
    await eventually(() => lobby.getByLabel('1 unread').count()).toBe(1)
    await eventually(() => lobby.getByTestId('mention-count').count()).toBe(0)
    await eventually(() => a.page.title()).toMatch(/^\(1\) /)

    await a.host.call('unblock', { peerId: await selfId(b) })
    await eventually(() => lobby.getByLabel('3 unread').count()).toBe(1)
    await eventually(() => lobby.getByTestId('mention-count').textContent()).toBe('@1')

    // Counted from the history at a start (a reload), not as they came: blocked, they go too.
    await a.page.reload()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
    await eventually(() => lobby.getByLabel('3 unread').count()).toBe(1)
    await eventually(() => lobby.getByTestId('mention-count').textContent()).toBe('@1')
    await a.host.call('block', { peerId: await selfId(b) })
    await eventually(() => lobby.getByLabel('1 unread').count()).toBe(1)
    await eventually(() => lobby.getByTestId('mention-count').count()).toBe(0)
  })

  it('rooms only a blocked peer writes in are not offered; one opened before stays, and another\'s message offers one again', async () => {
    const { a, b, c } = await session.trio()
    const others = a.page.getByRole('navigation', { name: 'Other rooms on the network' })
    const offered = (room: string) => others.locator(`button[data-room="${room}"]`)
    // Bob opens two rooms; Alice sees both offered, and reads one of them.
    await b.host.call('send', { room: 'deals', text: 'cheap phones' })
    await b.host.call('send', { room: 'trade', text: 'swap anyone?' })
    await eventually(() => offered('deals').count()).toBe(1)
    await eventually(() => offered('trade').count()).toBe(1)
    await offered('trade').click()
    await eventually(() => a.page.getByTestId('message').filter({ hasText: 'swap anyone?' }).count()).toBe(1)
    await eventually(async () => (await a.host.call('snapshot')).settings.seen?.['trade'] !== undefined).toBe(true)
    await a.page.locator('button[data-room="lobby"]').click()

    // Alice blocks him: the room she never opened is no longer offered; the one she read stays listed.
    const bobRow = a.page.getByTestId('peer').filter({ hasText: /^Bob/ })
    await bobRow.hover()
    await bobRow.getByRole('button', { name: 'Block Bob' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Block' })
    await expect(dialog.textContent()).resolves.toContain('rooms only they write in are no longer offered unless you opened them')
    await dialog.getByRole('button', { name: 'Block', exact: true }).click()
    await eventually(() => bobRow.getByText('blocked').count()).toBe(1)
    await eventually(() => offered('deals').count()).toBe(0)
    await expect(a.page.locator('button[data-room="trade"]').count()).resolves.toBe(1)

    // A new room of his reaches her engine (through Carol) and is not offered either.
    await b.host.call('send', { room: 'more-deals', text: 'even cheaper' })
    await eventually(() => c.page.locator('button[data-room="more-deals"]').count()).toBe(1)
    await eventually(async () => (await a.host.call('history', { room: 'more-deals' })).length).toBe(1)
    await expect(a.page.locator('button[data-room="more-deals"]').count()).resolves.toBe(0)

    // Carol writes in his first room: someone Alice did not block is there, so it is offered again.
    await c.host.call('send', { room: 'deals', text: 'these are stolen, careful' })
    await eventually(() => offered('deals').count()).toBe(1)
    // Unblocked, his new room is offered too.
    await bobRow.getByRole('button', { name: 'Unblock Bob' }).click()
    await eventually(() => offered('more-deals').count()).toBe(1)
  })

  it('Forget pressed from the keyboard leaves it in the peer list, on the row now in its place', async () => {
    const { a, c } = await session.trio()
    const carolRow = a.page.getByTestId('peer').filter({ hasText: /^Carol/ })
    session.open.splice(session.open.indexOf(c), 1)
    await c.close()
    await eventually(async () => (await carolRow.getByRole('img').first().getAttribute('aria-label')) ?? '').toMatch(/^offline/)
    await carolRow.hover()
    await carolRow.getByRole('button', { name: 'Forget Carol' }).focus()
    await a.page.keyboard.press('Enter')
    await eventually(() => carolRow.count()).toBe(0)
    // Her row went with the button: the keyboard is on Bob's, above it, not back at the page's top.
    await eventually(() => a.page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''")).toBe('Message Bob privately')
  })

  it('forgets someone who left: off the list, not brought back by others or a restart, listed again when they return', async () => {
    const { a, b, c } = await session.trio()
    const carolRow = a.page.getByTestId('peer').filter({ hasText: /^Carol/ })
    await eventually(() => carolRow.count()).toBe(1)
    // At rest the row's Block takes no room: in a narrow window her whole address still shows.
    const size = a.page.viewportSize()!
    await a.page.setViewportSize({ width: 700, height: size.height })
    await a.page.mouse.move(size.width - 1, size.height - 1)
    const block = carolRow.getByRole('button', { name: 'Block Carol' })
    await eventually(() => block.isVisible()).toBe(false)
    await expect(carolRow.locator('.peer-addr').evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true)
    // Pointed at, it shows left of her Message button, which stays where it was (under the pointer that came for it).
    const message = carolRow.getByRole('button', { name: 'Message Carol privately' })
    const atRest = await message.boundingBox()
    await message.hover()
    await expect(block.isVisible()).resolves.toBe(true)
    await expect(message.boundingBox()).resolves.toEqual(atRest)
    expect((await block.boundingBox())!.x).toBeLessThan(atRest!.x)
    // Reached by the keyboard (from her Message button), it shows too.
    await a.page.mouse.move(size.width - 1, size.height - 1)
    await eventually(() => block.isVisible()).toBe(false)
    await message.focus()
    await expect(block.isVisible()).resolves.toBe(true)
    await a.page.setViewportSize(size)
    // Online, she cannot be forgotten: the row offers no such thing.
    await carolRow.hover()
    await expect(carolRow.getByRole('button', { name: 'Forget Carol' }).count()).resolves.toBe(0)
    await forgetWhenGone(c, carolRow)
    await expect(a.page.getByTestId('online-count').textContent()).resolves.toBe('1 online')
    expect(await violations(a.page)).toEqual([])
    // Bob still lists her, offline; Alice's app restarts and links to him again: she stays forgotten.
    await expect(b.page.getByTestId('peer').filter({ hasText: /^Carol/ }).count()).resolves.toBe(1)
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    const again = await openPeer(session.browser, { dataDir: a.dataDir })
    session.open.push(again)
    const bobAgain = again.page.getByTestId('peer').filter({ hasText: /^Bob/ })
    await eventually(() => bobAgain.getByRole('img', { name: 'online' }).count()).toBe(1)
    await again.page.waitForTimeout(1_500)
    await expect(again.page.getByTestId('peer').filter({ hasText: /^Carol/ }).count()).resolves.toBe(0)
    // Carol comes back, to Bob: Alice lists her again, online.
    const back = await openPeer(session.browser, { dataDir: c.dataDir })
    session.open.push(back)
    await connectByAddress(back.page, `127.0.0.1:${await listenPort(b.page)}`)
    await eventually(() => again.page.getByTestId('peer').filter({ hasText: /^Carol/ }).getByRole('img', { name: 'online' }).count()).toBe(1)
  })

  it('in client–server mode two clients of one name are told apart by their keys, in the peer list as peer to peer', async () => {
    const hub = await startHub()
    try {
      const a = await openPeer(session.browser, { defaults: { name: 'Teacher', mode: 'client-server', server: hub.addr() } })
      session.open.push(a)
      const annas = [await startClient('Anna', hub.addr()), await startClient('Anna', hub.addr()), await startClient('Ben', hub.addr())]
      const rows = a.page.getByTestId('peer').filter({ hasText: /^Anna/ })
      await eventually(() => rows.count()).toBe(2)
      // Each Anna's row carries her key, the one her own app shows under her name; Ben, whose name nobody shares, has none.
      const keys = annas.slice(0, 2).map((c) => fingerprint(c.engine.peerId)).sort()
      await eventually(async () => (await rows.getByTestId('peer-key').allTextContents()).sort()).toEqual(keys)
      await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Ben/ }).count()).toBe(1)
      await expect(a.page.getByTestId('peer').filter({ hasText: /^Ben/ }).getByTestId('peer-key').count()).resolves.toBe(0)
    } finally {
      await cleanupHubs()
    }
  })

  it('in client–server mode a client that left can be forgotten too', async () => {
    const hub = await startHub()
    try {
      const client = (name: string) => openPeer(session.browser, { defaults: { name, mode: 'client-server', server: hub.addr() } })
      const [a, c] = [await client('Alice'), await client('Carol')]
      session.open.push(a, c)
      const carolRow = a.page.getByTestId('peer').filter({ hasText: /^Carol/ })
      await eventually(() => carolRow.getByRole('img', { name: 'online' }).count()).toBe(1)
      await forgetWhenGone(c, carolRow)
      // The server is never offered to forget.
      await expect(a.page.getByRole('button', { name: /^Forget/ }).count()).resolves.toBe(0)
    } finally {
      await cleanupHubs()
    }
  })

  it('in client–server mode a blocked client is folded too, and not shown typing; the mark stays after a restart', async () => {
    const hub = await startHub()
    try {
      const client = (name: string) => openPeer(session.browser, { defaults: { name, mode: 'client-server', server: hub.addr() } })
      const [a, b, c] = [await client('Alice'), await client('Bob'), await client('Carol')]
      session.open.push(a, b, c)
      const bobRow = a.page.getByTestId('peer').filter({ hasText: /^Bob/ })
      await eventually(() => bobRow.count()).toBe(1)
      await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Carol/ }).count()).toBe(1)
      await bobRow.hover()
      await bobRow.getByRole('button', { name: 'Block Bob' }).click()
      const dialog = a.page.getByRole('dialog', { name: 'Block' })
      await expect(dialog.textContent()).resolves.toContain('The server still relays what they write')
      await dialog.getByRole('button', { name: 'Block', exact: true }).click()
      await eventually(() => bobRow.getByText('blocked').count()).toBe(1)
      // The hub tells everyone who is typing: Carol shows, Bob does not (told at most once in 3 s: both type a while).
      await Promise.all([
        b.page.getByRole('textbox', { name: /^Message #/ }).pressSequentially('more stuff for sale', { delay: 200 }),
        c.page.getByRole('textbox', { name: /^Message #/ }).pressSequentially('hello everyone', { delay: 250 })
      ])
      await eventually(() => a.page.getByTestId('typing').textContent()).toBe('Carol is typing…')
      await b.page.getByRole('textbox', { name: /^Message #/ }).press('Enter')
      const rows = a.page.getByTestId('message')
      await eventually(() => rows.count()).toBe(1)
      await expect(rows.first().getByTestId('message-text').textContent()).resolves.toBe('A message from Bob, whom you blocked')
      // Alice's app restarts: Bob is still blocked, his message still folded.
      session.open.splice(session.open.indexOf(a), 1)
      await a.close()
      const again = await openPeer(session.browser, { dataDir: a.dataDir, defaults: { name: 'Alice', mode: 'client-server', server: hub.addr() } })
      session.open.push(again)
      const rowAgain = again.page.getByTestId('peer').filter({ hasText: /^Bob/ })
      await eventually(() => rowAgain.getByText('blocked').count()).toBe(1)
      await eventually(() => again.page.getByTestId('message').first().getByTestId('message-text').textContent()).toBe('A message from Bob, whom you blocked')
      await rowAgain.getByRole('button', { name: 'Unblock Bob' }).click()
      await eventually(() => again.page.getByTestId('message').first().getByTestId('message-text').textContent()).toBe('more stuff for sale')
    } finally {
      await cleanupHubs()
    }
  })

  it('a peer who renames itself is listed under the new name at once, said in a toast, and its next message heads a new group', async () => {
    const { a, b } = await session.pair()
    await send(b.page, 'hello from bob')
    await eventually(() => a.page.getByTestId('message').filter({ hasText: 'hello from bob' }).count()).toBe(1)
    await b.page.getByRole('button', { name: 'Settings' }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Display name').fill('Robert')
    await dialog.getByRole('button', { name: 'Save' }).click()
    // The name reaches Alice before the save is over; Bob types once the dialog is gone.
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Robert/ }).count()).toBe(1)
    await eventually(() => a.page.getByText('"Bob" now calls itself "Robert"').count()).toBe(1)
    await send(b.page, 'now I am Robert')
    const last = a.page.getByTestId('message').filter({ hasText: 'now I am Robert' })
    await eventually(() => last.count()).toBe(1)
    // The same author under another name: not folded under "Bob".
    await expect(last.getAttribute('data-author')).resolves.toBe('Robert')
    await expect(last.getByText('Robert', { exact: true }).count()).resolves.toBe(1)
  })

  it('a status set under one\'s name shows next to it on the other page, in the peer list and Members; cleared, it goes; it is kept across a restart', async () => {
    const { a, b } = await session.pair()
    const own = a.page.getByTestId('own-status')
    await expect(own.textContent()).resolves.toBe('Set a status')
    await own.click()
    const dialog = a.page.getByRole('dialog', { name: 'Your status' })
    // A suggestion fills the box, and stays editable.
    await dialog.getByRole('button', { name: 'In a meeting' }).click()
    const box = dialog.getByLabel('What are you up to?')
    await expect(box.inputValue()).resolves.toBe('In a meeting')
    await box.fill('In a meeting until 3')
    // Set to clear itself in an hour: her own line says until when.
    await dialog.getByLabel('Clear after').selectOption('1h')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => own.textContent()).toBe('In a meeting until 3')
    await expect(own.getAttribute('title')).resolves.toMatch(/^Your status: In a meeting until 3, until (\w+ )?\d{1,2}:\d{2}/)
    const { status } = await a.host.call('snapshot')
    const until = status.state === 'running' ? status.wordsUntil ?? 0 : 0
    expect(Math.abs(until - (Date.now() + 3600_000))).toBeLessThan(60_000)
    const alice = b.page.getByTestId('peer').filter({ hasText: /^Alice/ })
    await eventually(() => alice.getByTestId('peer-status').textContent()).toBe('In a meeting until 3')
    // When it clears itself travels with it: in the tooltip here, after the words in a conversation's header.
    await expect(alice.getByTestId('peer-status').getAttribute('title')).resolves.toMatch(/^In a meeting until 3 \(until (\w+ )?\d{1,2}:\d{2}/)
    await alice.getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => b.page.getByTestId('dm-status').textContent()).toMatch(/^In a meeting until 3 · until (\w+ )?\d{1,2}:\d{2}/)
    // In a window of the size the app opens at, the name with her presence and status under it, and the tools, share one row.
    await b.page.setViewportSize({ width: 1100, height: 720 })
    const middle = (selector: string) => b.page.locator(selector).evaluate((el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2 })
    expect(Math.abs(await middle('.chat-title') - await middle('.header-tools'))).toBeLessThan(6)
    await b.page.locator('button[data-room="lobby"]').click()
    await expect(b.page.getByTestId('dm-status').count()).resolves.toBe(0)
    await b.page.getByRole('button', { name: 'Members', exact: true }).click()
    const members = b.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').filter({ hasText: 'Alice' }).getByTestId('member-status').textContent()).toBe('In a meeting until 3')
    await members.getByRole('button', { name: 'Close' }).first().click()
    await expect(violations(b.page)).resolves.toEqual([])

    // Kept across a restart of her app, and heard again from it.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(() => alice.getByRole('img', { name: /^offline/ }).count()).toBe(1)
    const again = await openPeer(session.browser, { dataDir: a.dataDir })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('own-status').textContent()).toBe('In a meeting until 3')
    const kept = (await again.host.call('snapshot')).status
    expect(kept.state === 'running' ? kept.wordsUntil : undefined).toBe(until)
    // Her app dials Bob again by itself (a known peer).
    await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByTestId('peer-status').textContent()).toBe('In a meeting until 3')

    // Cleared: it goes from her own line and from Bob's list.
    await again.page.getByTestId('own-status').click()
    await again.page.getByRole('dialog', { name: 'Your status' }).getByRole('button', { name: 'Clear status' }).click()
    await eventually(() => again.page.getByTestId('own-status').textContent()).toBe('Set a status')
    await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByTestId('peer-status').count()).toBe(0)
  })

  it('"@everyone" is offered, marked on every page and counted like a mention of you, but not in a muted room', async () => {
    const { a, b } = await session.pair()
    const box = b.page.getByRole('textbox', { name: /^Message #/ })
    await box.pressSequentially('@ev')
    const list = b.page.getByRole('listbox', { name: 'People to mention' })
    await eventually(() => list.getByRole('option', { name: '@everyone' }).getAttribute('aria-selected')).toBe('true')
    await box.press('Enter')
    await box.pressSequentially('quiz in 5')
    await box.press('Enter')
    const row = a.page.getByTestId('message').filter({ hasText: 'quiz in 5' })
    await eventually(() => row.getAttribute('data-mentioned')).toBe('true')
    await expect(row.locator('mark.mention').textContent()).resolves.toBe('@everyone')
    // The author's own copy is marked too, and is not a mention of the author.
    const own = b.page.getByTestId('message').filter({ hasText: 'quiz in 5' })
    await expect(own.locator('mark.mention').textContent()).resolves.toBe('@everyone')
    await expect(own.getAttribute('data-mentioned')).resolves.toBeNull()

    // In another room: counted until Alice looks.
    await b.host.call('send', { room: 'random', text: '@here lunch?' })
    const random = a.page.locator('button[data-room="random"]')
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await random.click()
    await eventually(() => random.getByTestId('mention-count').count()).toBe(0)
    // Muted: "@everyone" no longer counts there; her name still does.
    await a.page.getByRole('button', { name: 'Mute room' }).click()
    await eventually(() => a.page.getByRole('button', { name: 'Mute room' }).getAttribute('aria-pressed')).toBe('true')
    await a.page.locator('button[data-room="lobby"]').click()
    const arrived = async (text: string): Promise<boolean> => (await a.host.call('history', { room: 'random' })).some((m) => m.text === text)
    await b.host.call('send', { room: 'random', text: '@everyone again' })
    await eventually(() => arrived('@everyone again')).toBe(true)
    await b.host.call('send', { room: 'random', text: '@alice you too' })
    await eventually(() => arrived('@alice you too')).toBe(true)
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect(random.getByTestId('mention-count').textContent()).resolves.toBe('@1')
  })

  it('completes @names from the composer with the keyboard, highlights a mention of you and counts it per room', async () => {
    const { a, b } = await session.pair()
    const box = b.page.getByRole('textbox', { name: /^Message #/ })
    const list = b.page.getByRole('listbox', { name: 'People to mention' })
    // "@" opens the list; Escape closes it without touching the text.
    await box.pressSequentially('hi @')
    await eventually(() => list.isVisible()).toBe(true)
    await box.press('Escape')
    await eventually(() => list.count()).toBe(0)
    await expect(box.inputValue()).resolves.toBe('hi @')
    // It stays closed for that "@"; a new one opens it again, and more of the name narrows it.
    await box.pressSequentially('al')
    await expect(list.count()).resolves.toBe(0)
    await box.press('Backspace')
    await box.press('Backspace')
    await box.press('Backspace')
    await box.pressSequentially('@al')
    // The matching option is active, and the box points at it for screen readers.
    await eventually(() => list.getByRole('option', { name: '@Alice' }).getAttribute('aria-selected')).toBe('true')
    const activeId = await box.getAttribute('aria-activedescendant')
    expect(activeId).toBe(await list.getByRole('option', { name: '@Alice' }).getAttribute('id'))
    await expect(violations(b.page)).resolves.toEqual([])
    await box.press('Enter')
    await eventually(() => box.inputValue()).toBe('hi @Alice ')
    await expect(list.count()).resolves.toBe(0)
    await box.pressSequentially('the cake is here')
    await box.press('Enter')

    // Alice sees it marked as mentioning her; Bob's own copy is not.
    const mention = a.page.getByTestId('message').filter({ hasText: 'the cake is here' })
    await eventually(() => mention.getAttribute('data-mentioned')).toBe('true')
    await expect(mention.locator('mark.mention').textContent()).resolves.toBe('@Alice')
    await expect(violations(a.page)).resolves.toEqual([])
    await expect(b.page.getByTestId('message').filter({ hasText: 'the cake is here' }).getAttribute('data-mentioned')).resolves.toBeNull()

    // A mention in another room: counted on that room in the sidebar until Alice looks at it.
    await b.host.call('send', { room: 'random', text: '@alice come here' })
    const random = a.page.locator('button[data-room="random"]')
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await expect(random.getByTestId('mention-count').getAttribute('aria-label')).resolves.toBe('1 mention of you')
    await random.click()
    await eventually(() => random.getByTestId('mention-count').count()).toBe(0)

    // Muting a room is kept in the settings (mentions of you still notify: test/mentions.test.ts).
    await a.page.getByRole('button', { name: 'Mute room' }).click()
    await eventually(() => a.page.getByRole('button', { name: 'Mute room' }).getAttribute('aria-pressed')).toBe('true')
    await eventually(async () => (await a.host.call('snapshot')).settings.muted).toEqual(['random'])
    await eventually(() => random.getByRole('img', { name: 'muted' }).count()).toBe(1)
  })

  it('marks a mention of someone else apart from a mention of you, on the author\'s page too', async () => {
    const { a, b } = await session.pair()
    // Each knows the other's name (the peer list) before the message comes.
    await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).count()).toBe(1)
    await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Bob/ }).count()).toBe(1)
    await send(b.page, '@Alice can you ask @Bob, not @Nobody?')
    const marks = (page: Page) => page.getByTestId('message').filter({ hasText: 'can you ask' }).locator('mark.mention')
      .evaluateAll((all) => all.map((m) => `${m.textContent ?? ''}:${m.classList.contains('other') ? 'other' : 'you'}`))
    // Alice: her name as a mention of her, Bob's apart; a name nobody has is plain text.
    await eventually(() => marks(a.page)).toEqual(['@Alice:you', '@Bob:other'])
    // Bob, the author: Alice's name is someone else's; his own name in his own message is not a mention of him.
    await eventually(() => marks(b.page)).toEqual(['@Alice:other'])
    await expect(violations(a.page)).resolves.toEqual([])
  })

  it('after renaming, one\'s old name on one\'s own messages is nobody else\'s: not offered to mention, nor marked as another\'s', async () => {
    const { a, b } = await session.pair()
    await a.page.getByRole('button', { name: 'Settings' }).click()
    let dialog = a.page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Display name').fill('Alice Smith')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice Smith/ }).count()).toBe(1)
    await send(a.page, 'morning, I am new here')
    await send(b.page, '@Alice Smith welcome!')
    await eventually(() => a.page.getByTestId('message').filter({ hasText: 'welcome!' }).count()).toBe(1)
    // She goes by her first name from now on; her message above still says who she was when she wrote it.
    await a.page.getByRole('button', { name: 'Settings' }).click()
    dialog = a.page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Display name').fill('Alice')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => a.page.getByTestId('self-name').textContent()).toBe('Alice')
    // Bob's welcome called her: it is marked as a mention of her, not of some other "Alice Smith".
    const marks = () => a.page.getByTestId('message').filter({ hasText: 'welcome!' }).locator('mark.mention')
      .evaluateAll((all) => all.map((m) => `${m.textContent ?? ''}:${m.classList.contains('other') ? 'other' : 'you'}`))
    await eventually(marks).toEqual(['@Alice:you'])
    // "@" offers the others she can call, not herself under the name she had.
    await a.page.getByRole('textbox', { name: /^Message / }).fill('@')
    const offered = a.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option')
    await eventually(() => offered.allTextContents()).toContain('@Bob')
    await expect(offered.allTextContents()).resolves.not.toContain('@Alice Smith')
  })

  it('"@Alice K." is a mention of Alice K., not of Alice: neither marked, counted nor notified as hers', async () => {
    const { a, b } = await session.pair()
    // A classmate whose name begins with hers, whom both know.
    const other = await startPeer('Alice K.')
    try {
      await other.engine.dial(`/ip4/127.0.0.1/tcp/${await listenPort(a.page)}`)
      await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Alice K\./ }).count()).toBe(1)
      await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice K\./ }).count()).toBe(1)
      await b.host.call('send', { room: 'random', text: '@Alice K. your turn' })
      await b.host.call('send', { room: 'random', text: 'and then @Alice' })
      // Bob's messages come in his order: once this one is on her screen, the two above have been counted.
      await b.host.call('send', { room: 'lobby', text: 'back in the lobby' })
      await eventually(() => a.page.getByTestId('message').filter({ hasText: 'back in the lobby' }).count()).toBe(1)
      const random = a.page.locator('button[data-room="random"]')
      // One mention of her: the second message only.
      await expect(random.getByTestId('mention-count').textContent()).resolves.toBe('@1')
      await random.click()
      const row = (text: string): Locator => a.page.getByTestId('message').filter({ hasText: text })
      await eventually(() => row('and then').getAttribute('data-mentioned')).toBe('true')
      await expect(row('your turn').getAttribute('data-mentioned')).resolves.toBeNull()
      await expect(row('your turn').locator('mark.mention').evaluateAll((all) => all.map((m) => `${m.textContent ?? ''}:${m.classList.contains('other') ? 'other' : 'you'}`))).resolves.toEqual(['@Alice K.:other'])
      // Blocking Alice K. does not make her name Alice's again.
      await a.host.call('block', { peerId: other.engine.peerId })
      await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Alice K\./ }).getByText(/blocked/i).count()).toBeGreaterThan(0)
      await b.host.call('send', { room: 'random', text: '@Alice K. once more' })
      await eventually(() => row('once more').count()).toBe(1)
      await expect(row('once more').getAttribute('data-mentioned')).resolves.toBeNull()
    } finally {
      await cleanup()
    }
  })

  it('makes http(s) links clickable and has the host open them, never the page; other schemes stay text', async () => {
    const { a, b } = await session.pair()
    await send(b.page, 'the notes: https://example.com/notes?id=7. not javascript:alert(1) nor file:///etc/passwd')
    const message = a.page.getByTestId('message').filter({ hasText: 'the notes' })
    await eventually(() => message.count()).toBe(1)
    const links = message.getByRole('link')
    await expect(links.count()).resolves.toBe(1)
    const url = a.page.url()
    await links.first().click()
    await eventually(() => a.host.opened()).toEqual(['https://example.com/notes?id=7'])
    // The window stayed where it was: nothing navigated, nothing was fetched.
    expect(a.page.url()).toBe(url)
  })

  it('a link whose name has letters of other alphabets says its real name beside it in the message, and to a screen reader', async () => {
    const { a, b } = await session.pair()
    // "аpple.com" with a Cyrillic а reads as apple.com; its real name is xn--pple-43d.com. Also one typed in punycode, and a plain one.
    await send(b.page, 'log in at https://\u0430pple.com/login or https://xn--80ak6aa92e.com/ then https://example.com/a')
    const message = a.page.getByTestId('message').filter({ hasText: 'log in at' })
    await eventually(() => message.count()).toBe(1)
    const links = message.getByRole('link')
    await expect(links.count()).resolves.toBe(3)
    const marks = message.getByTestId('link-idn')
    await expect(marks.allTextContents()).resolves.toEqual(['⚠ letters of other alphabets: xn--pple-43d.com', '⚠ letters of other alphabets: xn--80ak6aa92e.com'])
    expect(await marks.first().isVisible()).toBe(true)
    // Each said right after its own link, and as that link's description.
    for (const [i, host] of [[0, 'xn--pple-43d.com'], [1, 'xn--80ak6aa92e.com']] as const) {
      const described = await links.nth(i).getAttribute('aria-describedby')
      expect(described).not.toBeNull()
      const mark = a.page.locator(`[id="${described}"]`)
      await expect(mark.textContent()).resolves.toBe(`⚠ letters of other alphabets: ${host}`)
      await expect(mark.evaluate((el) => (el as unknown as { previousElementSibling: { textContent: string } | null }).previousElementSibling?.textContent)).resolves
        .toBe(i === 0 ? 'https://\u0430pple.com/login' : 'https://xn--80ak6aa92e.com/')
    }
    // The plain link has no mark nor description.
    expect(await links.nth(2).getAttribute('aria-describedby')).toBeNull()
    // Copying the message copies what was written, not the marks.
    const copied = await message.getByTestId('message-text').evaluate((el) => {
      const doc = (el as unknown as { ownerDocument: { createRange(): { selectNodeContents(n: unknown): void }, getSelection(): { removeAllRanges(): void, addRange(r: unknown): void, toString(): string } } }).ownerDocument
      const range = doc.createRange()
      range.selectNodeContents(el)
      const selection = doc.getSelection()
      selection.removeAllRanges()
      selection.addRange(range)
      return selection.toString()
    })
    expect(copied).toBe('log in at https://\u0430pple.com/login or https://xn--80ak6aa92e.com/ then https://example.com/a')
    // The sender sees it so too; and it opens as any link does.
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'log in at' }).getByTestId('link-idn').count()).toBe(2)
    await links.first().click()
    await eventually(() => a.host.opened()).toEqual(['https://\u0430pple.com/login'])
    const report = await new AxeBuilder({ page: a.page }).include('[data-testid="message"]').analyze()
    expect(report.violations.map((v) => v.id)).toEqual([])
  })
})

describe.skipIf(LAUNCHER === 'electron')('away for want of input', () => {
  it('counts input to other programs: busy elsewhere is not away; idle everywhere is, and input elsewhere brings one back', async () => {
    // The desktop app asks the system how long the computer has had no input; the test host is told what to answer.
    const a = await openPeer(session.browser, { fakeClock: true })
    session.open.push(a)
    await chooseName(a.page, 'Alice')
    const online = a.page.getByRole('button', { name: /^You are online: set yourself away$/ })
    const away = a.page.getByRole('button', { name: /^You are away: set yourself online$/ })
    await eventually(() => online.count()).toBe(1)
    // The page's clock moves on a quarter minute at a time, the host answering in real time between steps.
    const step = async (): Promise<void> => { await a.page.clock.runFor(15_000) }
    // Writing in another program all along: the window has had no input for over six minutes, and stays online.
    a.host.setSystemIdle!(0)
    await a.page.mouse.move(10, 10)
    for (let i = 0; i < 24; i++) await step()
    expect(await away.count()).toBe(0)
    await expect(online.count()).resolves.toBe(1)
    // Then away from the computer too: away at a next look.
    a.host.setSystemIdle!(10 * 60_000)
    await eventually(async () => { await step(); return away.count() }).toBe(1)
    // Back at another program: online at the next look, without touching this window.
    a.host.setSystemIdle!(0)
    await eventually(async () => { await step(); return online.count() }).toBe(1)
    // A host that cannot tell (a browser): the window's own input decides, as before.
    a.host.setSystemIdle!(undefined)
    await a.page.mouse.move(20, 20)
    await eventually(async () => { await step(); return away.count() }).toBe(1)
  })
})
