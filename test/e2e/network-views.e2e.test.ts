/**
 * End to end, issue 5: each networking view against real peers (engines on
 * loopback behind UI test hosts, pages in Chromium). What the views show is
 * compared with what the engines report.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import {
  chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount,
  send, shownMessages, texts, type Peer, useSession
} from './harness.js'
import { chooseOrder, cutOff, heal, openTab, selfId, shownSockets, unreadableLabels } from './views.js'

const session = useSession()
const { open, pair } = session

const tuples = (peers: Array<{ connections: Array<{ local: string; remote: string; direction: string }> }>) =>
  peers.flatMap((p) => p.connections.map(({ local, remote, direction }) => ({ local, remote, direction }))).sort((x, y) => x.local.localeCompare(y.local))
const sorted = <T extends { local: string }>(xs: T[]): T[] => [...xs].sort((x, y) => x.local.localeCompare(y.local))


describe('the networking views', () => {
  it('the socket panel lists the 4-tuples the engine reports, who dialed, and the streams; a hosted hub shows one socket per client', async () => {
    const { a, b } = await pair()
    await openTab(a.page, 'Sockets')
    await openTab(b.page, 'Sockets')
    await eventually(async () => sorted(await shownSockets(a.page))).toEqual(tuples(await a.host.call('peers')))
    await eventually(async () => sorted(await shownSockets(b.page))).toEqual(tuples(await b.host.call('peers')))
    // Bob dialed Alice: his socket is active, hers passive, and they are the same socket seen from both ends.
    const [onA] = await shownSockets(a.page)
    const [onB] = await shownSockets(b.page)
    expect(onA).toMatchObject({ direction: 'inbound', local: onB!.remote, remote: onB!.local })
    expect(onB!.direction).toBe('outbound')
    await eventually(() => a.page.getByTestId('stream').allTextContents()).toContainEqual(expect.stringMatching(/^\/lanchat\//))
    // Noise's cipher, and whose implementation runs it: Node's own here; in Electron, whose crypto has none, libsodium's
    // addon (never the WebAssembly fallback, which is an order of magnitude slower).
    const cipher = (await a.host.call('sockets')).cipher
    expect(cipher).toMatch(process.env.LANCHAT_E2E === 'electron' ? /^ChaCha20-Poly1305 \(native/ : /^ChaCha20-Poly1305 \(native, this runtime/)
    await expect(a.page.getByTestId('cipher').textContent()).resolves.toBe(cipher)

    // Client-server: Alice hosts a hub; its view lists one accepted socket per client.
    await a.page.getByRole('button', { name: 'Settings' }).click()
    await a.page.getByLabel('Host a server on this computer').check()
    await a.page.getByRole('button', { name: 'Save', exact: true }).click()
    // The hub starts once Alice's settings are saved: its address is there when it listens.
    let hubAddress = ''
    await eventually(async () => (hubAddress = (await a.host.call('snapshot')).hub?.addrs[0] ?? '')).not.toBe('')
    await b.page.getByRole('button', { name: 'Settings' }).click()
    await b.page.getByLabel('Client–server').check()
    await b.page.getByLabel('Server address').fill(hubAddress)
    await b.page.getByRole('button', { name: 'Save', exact: true }).click()
    const hubSockets = '[data-testid="hub-sockets"]'
    await eventually(async () => (await shownSockets(a.page, hubSockets)).length).toBe(2)
    expect(sorted(await shownSockets(a.page, hubSockets))).toEqual(tuples((await a.host.call('sockets')).hub!))
    expect((await shownSockets(a.page, hubSockets)).every((s) => s.direction === 'inbound')).toBe(true)
    await eventually(async () => (await shownSockets(b.page)).map((s) => s.direction)).toEqual(['outbound'])
  })

  it('the space-time diagram draws one arrow per delivery, marks concurrent messages, highlights a causal past, and exports', async () => {
    const { a, b } = await pair()
    await send(a.page, 'a question for the team')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['a question for the team'])
    await send(b.page, 'answer')
    // Two messages written on both sides of a partition: concurrent.
    await cutOff(a.page, await selfId(b))
    await send(a.page, 'left side')
    await send(b.page, 'right side')
    await heal(a.page)
    await eventually(async () => texts(await shownMessages(a.page)).length).toBe(4)

    await openTab(a.page, 'Space-time')
    const trace = () => a.host.call('trace', { room: 'lobby' })
    const deliveries = async () => (await trace()).messages.reduce((n, m) => n + m.receipts.length, 0)
    // Each message is delivered once by the one other peer: 4 deliveries, and an arrow for each.
    await eventually(deliveries).toBe(4)
    await eventually(() => a.page.getByTestId('arrow').count()).toBe(await deliveries())
    expect(await a.page.getByTestId('lane').count()).toBe(2)
    const traced = await trace()
    const idOf = (text: string) => traced.messages.find((m) => m.text === text)!.id
    const concurrent = await a.page.locator('[data-testid="send-event"][data-concurrent="true"]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { message: string } }).dataset.message))
    expect(concurrent.sort()).toEqual([idOf('left side'), idOf('right side')].sort())
    // Every label is inside the drawing: the first lane's message texts were cut at its left edge.
    const lefts = await a.page.locator('.spacetime svg text').evaluateAll((els) => els.map((e) => (e as unknown as { getBBox: () => { x: number } }).getBBox().x))
    expect(Math.min(...lefts)).toBeGreaterThanOrEqual(0)
    await expect(a.page.locator('.spacetime svg text', { hasText: 'a question for…' }).count()).resolves.toBe(1)
    // …and on the right edge; and no message's label lies under an arrow (the second lane's were drawn between the lanes).
    expect(await unreadableLabels(a.page)).toEqual([])

    await a.page.locator(`[data-testid="send-event"][data-message="${idOf('answer')}"] circle`).click()
    await eventually(() => a.page.locator('.spacetime .hint').textContent()).toMatch(/Selected: "answer" — green: its causal past \(1\)/)
    // What the arrows say, in words a screen reader is told (the drawing is one image to it): who delivered it, at which Lamport time.
    const bobsAnswer = traced.messages.find((m) => m.text === 'answer')!
    await expect(a.page.getByTestId('spacetime-hint').textContent()).resolves.toMatch(new RegExp(`\\. Delivered to you at L${bobsAnswer.receipts[0]!.lamport}\\.$`))
    // Without a mouse: the messages drawn are offered in a list reached with Tab from the tabs, in Lamport order.
    const choose = a.page.getByRole('combobox', { name: 'Show the causal past of' })
    expect(await choose.inputValue()).toBe(idOf('answer'))
    await a.page.getByRole('tab', { name: 'Space-time' }).focus()
    const stops: string[] = []
    for (let i = 0; i < 12 && stops.at(-1) !== 'Show the causal past of'; i++) {
      await a.page.keyboard.press('Tab')
      stops.push(await a.page.evaluate<string>("document.activeElement?.labels?.[0]?.firstChild?.textContent ?? document.activeElement?.textContent ?? ''"))
    }
    expect(stops.at(-1)).toBe('Show the causal past of')
    expect((await choose.locator('option').allTextContents()).slice(1)).toEqual(['L1 Alice: a question for the team', expect.stringMatching(/^L\d+ Bob: answer$/), expect.stringMatching(/^L\d+ (Alice: left side|Bob: right side)$/), expect.stringMatching(/^L\d+ (Alice: left side|Bob: right side)$/)])
    await choose.selectOption({ label: (await choose.locator('option').allTextContents()).find((t) => t.endsWith('Alice: left side'))! })
    await eventually(() => a.page.locator('.spacetime .hint').textContent()).toMatch(/Selected: "left side" — green: its causal past \(2\); orange: concurrent \(1\)/)
    const leftSide = traced.messages.find((m) => m.text === 'left side')!
    await expect(a.page.getByTestId('spacetime-hint').textContent()).resolves.toMatch(new RegExp(`\\. Delivered to Bob at L${leftSide.receipts[0]!.lamport}\\.$`))

    const svgDownload = a.page.waitForEvent('download')
    await a.page.getByRole('button', { name: 'Export SVG' }).click()
    const svg = await svgDownload
    expect(svg.suggestedFilename()).toBe('space-time-lobby.svg')
    const body = await readFile((await svg.path())!, 'utf8')
    expect(body).toMatch(/^<svg/)
    expect(body.match(/data-testid="arrow"/g)?.length).toBe(4)
    const pngDownload = a.page.waitForEvent('download')
    await a.page.getByRole('button', { name: 'Export PNG' }).click()
    const png = await readFile((await (await pngDownload).path())!)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
  })

  it('a long name keeps to its lane, cut with "…" and whole in its tooltip; a selected message reads as it is shown, a deleted one as deleted', async () => {
    const a = await openPeer(session.browser)
    const b = await openPeer(session.browser)
    open.push(a, b)
    const long = 'Maximilian Alexander von Humboldt-Fitzgerald III'
    await chooseName(a.page, 'Ada')
    await chooseName(b.page, long)
    await connectByAddress(b.page, `127.0.0.1:${await listenPort(a.page)}`)
    await eventually(() => peerCount(a.page)).toBe('1 peer connected')
    await send(b.page, 'Hello Ada! Welcome to the **lobby**, where everyone can read along')
    await send(b.page, 'a slip')
    // Sent from the box: in the history once the engine has taken it.
    const slipId = async (): Promise<string | undefined> => (await b.host.call('history', { room: 'lobby' })).find((m) => m.text === 'a slip')?.id
    await eventually(slipId).toBeDefined()
    await b.host.call('delete', { room: 'lobby', id: (await slipId())! })
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['Hello Ada! Welcome to the lobby, where everyone can read along', 'message deleted'])

    await openTab(a.page, 'Space-time')
    await eventually(() => a.page.getByTestId('lane').count()).toBe(2)
    const lanes = () => a.page.getByTestId('lane').evaluateAll((gs) => gs.map((g) => {
      const el = g as unknown as { querySelector(s: string): { textContent: string | null; getAttribute(n: string): string | null; getBBox(): { x: number; width: number } } | null }
      // The lane's first words are its name (the second, its short id).
      const name = el.querySelector('text')!
      const { x, width } = name.getBBox()
      return { x: Number(el.querySelector('line')!.getAttribute('x1')), name: name.textContent ?? '', box: { x, width }, title: el.querySelector('title')?.textContent }
    }))
    const [ada, max] = await lanes()
    // Each name within half the way to the next lane on either side: the two never meet.
    const half = (max!.x - ada!.x) / 2
    for (const l of [ada!, max!]) expect({ name: l.name, left: l.box.x >= l.x - half, right: l.box.x + l.box.width <= l.x + half }).toEqual({ name: l.name, left: true, right: true })
    expect(ada!.name).toBe('Ada (you)')
    expect(max!.name).toMatch(/^Maximilian .*…$/)
    expect([ada!.title, max!.title]).toEqual(['Ada (you)', long])

    const idOf = async (text: string) => (await a.host.call('trace', { room: 'lobby' })).messages.find((m) => m.text === text)!.id
    await a.page.locator(`[data-testid="send-event"][data-message="${await idOf('Hello Ada! Welcome to the **lobby**, where everyone can read along')}"] circle`).click()
    await eventually(() => a.page.locator('.spacetime .hint').textContent()).toMatch(/Selected: "Hello Ada! Welcome to the lobby, where…" — green/)
    await a.page.locator(`[data-testid="send-event"][data-message="${await idOf('')}"] circle`).click()
    await eventually(() => a.page.locator('.spacetime .hint').textContent()).toMatch(/Selected: "\(deleted\)" — green/)
  })

  it('a message deleted or edited while the diagram is open is drawn as it now is: its old words are gone from the drawing and the list', async () => {
    // Alone, where no receipt comes to redraw it, as in client–server mode.
    const peer = await openPeer(session.browser)
    open.push(peer)
    const page = peer.page
    await chooseName(page, 'Alice')
    await send(page, 'a slip of the tongue')
    await send(page, 'kept')
    await openTab(page, 'Space-time')
    await eventually(() => page.getByTestId('send-event').count()).toBe(2)
    const idOf = async (text: string) => (await peer.host.call('history', { room: 'lobby' })).find((m) => m.text === text)!.id
    const drawn = () => page.locator('[data-testid="send-event"] text').allTextContents()
    const listed = () => page.getByRole('combobox', { name: 'Show the causal past of' }).locator('option').allTextContents()
    await peer.host.call('delete', { room: 'lobby', id: await idOf('a slip of the tongue') })
    await eventually(drawn).toEqual(['L1', '(deleted)', 'L2', 'kept'])
    expect(await listed()).toEqual(['No message chosen', 'L1 Alice: (deleted)', 'L2 Alice: kept'])
    await peer.host.call('edit', { room: 'lobby', id: await idOf('kept'), text: 'kept, and said better' })
    await eventually(drawn).toEqual(['L1', '(deleted)', 'L2', 'kept, and said…'])
  })

  it('a blocked person\'s message keeps its dot and arrows, its words folded in the drawing and the list, as in the conversation', async () => {
    const { a, b } = await pair()
    await send(a.page, 'you are all fools')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['you are all fools'])
    await b.host.call('block', { peerId: await selfId(a) })
    await eventually(() => b.page.locator('[data-blocked="true"]').count()).toBe(1)
    await openTab(b.page, 'Space-time')
    await eventually(() => b.page.locator('[data-testid="send-event"] text').allTextContents()).toEqual(['L1', '(blocked)'])
    const listed = await b.page.getByRole('combobox', { name: 'Show the causal past of' }).locator('option').allTextContents()
    expect(listed).toEqual(['No message chosen', expect.stringMatching(/^L1 .+: \(blocked\)$/)])
  })

  it('in a direct message, one person\'s messages in a row are each in the next one\'s causal past: none is marked concurrent', async () => {
    const { a, b } = await pair()
    await b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('button', { name: /privately/ }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    for (const t of ['one', 'two', 'three']) await send(b.page, t)
    const room = (await b.host.call('dms'))[0]!.room
    await eventually(async () => (await a.host.call('history', { room })).length).toBe(3)
    const traced = await a.host.call('trace', { room })
    expect(traced.messages.map((m) => [m.text, m.concurrent.length, m.past.length])).toEqual([['one', 0, 0], ['two', 0, 1], ['three', 0, 2]])
    // Named to a screen reader by whom it is with, not by the conversation's internal id.
    await openTab(b.page, 'Space-time')
    await eventually(() => b.page.locator('.spacetime svg').getAttribute('aria-label')).toBe('Space-time diagram of @Alice')
  })

  it('in a direct message a relay\'s delivery is drawn apart, dashed and named as carried sealed: it cannot read it, and the row counts only the reader', async () => {
    const { a, b, c } = await session.trio()
    await b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('button', { name: /privately/ }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    await send(b.page, 'just for you')
    const room = (await b.host.call('dms'))[0]!.room
    // Carol stores the sealed message too (she carries it on) and says so with a receipt, as Alice does.
    await eventually(async () => (await b.host.call('trace', { room })).messages[0]?.receipts.length).toBe(2)
    await eventually(() => b.page.getByTestId('delivered-to').first().textContent()).toBe('1/1')
    await openTab(b.page, 'Space-time')
    const [alice, carol] = [await selfId(a), await selfId(c)]
    const sealed = (by: string) => b.page.locator(`[data-testid="arrow"][data-by="${by}"]`)
    await eventually(() => sealed(carol).getAttribute('data-sealed')).toBe('true')
    expect(await sealed(carol).locator('line').getAttribute('stroke-dasharray')).toBe('4 3')
    expect(await sealed(alice).getAttribute('data-sealed')).toBe('false')
    expect(await sealed(alice).locator('line').getAttribute('stroke-dasharray')).toBeNull()
    await expect(b.page.locator('.spacetime .toolbar span').textContent()).resolves.toBe('1 message, 2 deliveries (1 sealed, by relays that cannot read it)')
    await b.page.getByRole('combobox', { name: 'Show the causal past of' }).selectOption({ index: 1 })
    await eventually(() => b.page.getByTestId('spacetime-hint').textContent()).toMatch(/\. Delivered to Alice at L\d+\. Carried on sealed, unread, by Carol at L\d+\.$/)
  })

  it('the order switch reorders: Lamport order is the same on both peers, arrival and sender-clock orders are not', async () => {
    const { a, b } = await pair()
    await send(b.page, 'b0')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['b0'])
    await cutOff(a.page, await selfId(b))
    for (const t of ['b1', 'b2', 'b3']) await send(b.page, t)
    // Stamped by Bob's engine (the composer empties before it is): Alice's a1 is written after it by the clock too.
    await eventually(async () => (await shownMessages(b.page)).find((m) => m.text === 'b3')?.state).not.toBe('sending')
    await send(a.page, 'a1')
    await heal(a.page)
    await eventually(async () => texts(await shownMessages(a.page)).length).toBe(5)
    await eventually(async () => texts(await shownMessages(b.page)).length).toBe(5)

    const lamportOnA = await shownMessages(a.page)
    expect(lamportOnA).toEqual(await shownMessages(b.page))
    const stamps = lamportOnA.map((m) => Number(m.lamport))
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps)
    await chooseOrder(a.page, 'arrival')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['b0', 'a1', 'b1', 'b2', 'b3'])
    await chooseOrder(a.page, 'sent')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['b0', 'b1', 'b2', 'b3', 'a1'])
    // Bob got everything as it was written: his arrival order is the sender-clock one, unlike Alice's.
    await chooseOrder(b.page, 'arrival')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['b0', 'b1', 'b2', 'b3', 'a1'])
    await chooseOrder(a.page, 'lamport')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(texts(lamportOnA))
    expect(texts(lamportOnA)).not.toEqual(['b0', 'a1', 'b1', 'b2', 'b3'])
    expect(texts(lamportOnA)).not.toEqual(['b0', 'b1', 'b2', 'b3', 'a1'])
  })

  it('a partition from everyone and a heal in the lab end with the same history on every peer, and deliveries k of n', async () => {
    const { a, b } = await pair()
    const c = await openPeer(session.browser)
    open.push(c)
    await chooseName(c.page, 'Carol')
    // Alone, Carol has nothing to export from an empty diagram, and nobody to cut off: the lab says so
    // instead of "Connected", and its button waits.
    await openTab(c.page, 'Space-time')
    expect(await c.page.getByRole('button', { name: 'Export SVG' }).isDisabled()).toBe(true)
    expect(await c.page.getByRole('button', { name: 'Export PNG' }).isDisabled()).toBe(true)
    await openTab(c.page, 'Partition lab')
    await eventually(() => c.page.getByTestId('lab-state').textContent()).toMatch(/^Nobody to cut off yet: connect to a peer first/)
    expect(await c.page.getByRole('button', { name: 'Cut off', exact: true }).isDisabled()).toBe(true)
    await connectByAddress(c.page, `127.0.0.1:${await listenPort(a.page)}`)
    await eventually(() => c.page.getByTestId('lab-state').textContent()).toBe('Connected: no partition.')
    await eventually(() => peerCount(a.page)).toBe('2 peers connected')
    await connectByAddress(c.page, `127.0.0.1:${await listenPort(b.page)}`)
    await eventually(() => peerCount(c.page)).toBe('2 peers connected')

    await cutOff(a.page, '*')
    await eventually(() => peerCount(a.page)).toBe('0 peers connected')
    await send(a.page, 'alone on my side')
    await send(b.page, 'we are still here')
    // Carol answers what she has read: her message follows Bob's causally, so every order puts it after.
    // (Sent before Bob's arrived, the two would be concurrent and their order up to their ids.)
    await eventually(async () => texts(await shownMessages(c.page))).toContain('we are still here')
    await send(c.page, 'yes, both of us')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['we are still here', 'yes, both of us'])
    expect(texts(await shownMessages(a.page))).toEqual(['alone on my side'])

    await heal(a.page)
    await eventually(() => a.page.getByTestId('merged').textContent()).toBe('merged 2 messages')
    const all = async (p: Peer) => texts(await shownMessages(p.page))
    await eventually(() => all(a)).toHaveLength(3)
    await eventually(() => all(b)).toEqual(await all(a))
    await eventually(() => all(c)).toEqual(await all(a))
    const history = async (p: Peer) => (await p.host.call('history', { room: 'lobby' })).map((m) => m.id)
    expect(await history(b)).toEqual(await history(a))
    expect(await history(c)).toEqual(await history(a))
    // Alice's message reached both others after the heal: delivered to 2 of 2.
    await eventually(() => a.page.getByTestId('delivered-to').first().textContent()).toBe('2/2')

    // Three lanes in each diagram: whoever is drawn between the other two has arrows leaving both ways,
    // and its message's label still lies on none of them (nor on another label).
    for (const p of [a, b, c]) {
      await openTab(p.page, 'Space-time')
      const deliveries = async () => (await p.host.call('trace', { room: 'lobby' })).messages.reduce((n, m) => n + m.receipts.length, 0)
      await eventually(deliveries).toBe(6)
      await eventually(() => p.page.getByTestId('arrow').count()).toBe(6)
      expect(await p.page.getByTestId('lane').count()).toBe(3)
      expect(await unreadableLabels(p.page)).toEqual([])
    }
  })

  it('cut off from one peer of three, a peer still hears it through the third: the lab says so, and partitions only when cut from everyone', async () => {
    const { a, b } = await session.trio()
    await cutOff(b.page, await selfId(a))
    await eventually(() => peerCount(b.page)).toBe('1 peer connected')
    await expect(b.page.getByTestId('lab-state').textContent()).resolves.toBe('Cut off from Alice, still linked to Carol: their messages reach you through that link, since a mesh routes around a cut link. Cut off from everyone for a partition.')
    await send(a.page, 'around the cut')
    await eventually(async () => texts(await shownMessages(b.page))).toContain('around the cut')
    await cutOff(b.page, '*')
    await eventually(() => b.page.getByTestId('lab-state').textContent()).toBe('Partitioned from everyone')
    await heal(b.page)
  })

  it('a first message from the lane between the other two keeps its words clear of its own arrows', async () => {
    // Alice sends before anyone else, to both: on every page whose diagram draws her between the others,
    // her label has no room to the side of her first row (her arrows leave it both ways), nor above it under the names.
    const { a, b, c } = await session.trio()
    await send(a.page, 'hello all of you')
    for (const p of [a, b, c]) {
      await openTab(p.page, 'Space-time')
      await eventually(() => p.page.getByTestId('arrow').count()).toBe(2)
      expect(await p.page.getByTestId('lane').count()).toBe(3)
      expect(await unreadableLabels(p.page)).toEqual([])
    }
  })

  it('each walkthrough step that points at a view opens it under the name its button says; partial failure says who goes on', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Alice')
    await openTab(peer.page, 'Walkthrough')
    const steps = await peer.page.getByRole('navigation', { name: 'Concepts' }).getByRole('button').count()
    const opened: string[] = []
    for (let step = 1; step <= steps; step++) {
      await openTab(peer.page, 'Walkthrough')
      await peer.page.getByRole('navigation', { name: 'Concepts' }).getByRole('button', { name: String(step), exact: true }).click()
      const button = peer.page.getByRole('button', { name: /^Open / })
      if (await button.count() === 0) continue
      const named = ((await button.textContent()) ?? '').replace(/^Open /, '')
      await button.click()
      // The tab it opened is the one it named, as the tab row names it.
      await eventually(() => peer.page.getByRole('tab', { selected: true }).textContent()).toBe(named)
      opened.push(named)
    }
    expect([...new Set(opened)].sort()).toEqual(['Contrast', 'Partition lab', 'Sockets', 'Space-time'])
    // Partial failure: a client cut off from the hub is one failed link; the other clients go on (the lecture's "a link might fail").
    await openTab(peer.page, 'Walkthrough')
    await peer.page.getByRole('button', { name: '4', exact: true }).click()
    await expect(peer.page.locator('.guide .try').textContent()).resolves.toMatch(/cut this app off from the hub: nothing is delivered here .* while the other clients chat on/)
  })

  it('the walkthrough runs Sally, James and Henry on real engines inside this app: Henry sees the correction before the relief, and nothing reaches real peers', async () => {
    const { a: peer, b: friend } = await pair()
    await openTab(peer.page, 'Walkthrough')
    await peer.page.getByRole('button', { name: '7' }).click()
    await peer.page.getByRole('button', { name: 'Start Sally, James and Henry' }).click()
    await eventually(() => peer.page.getByRole('heading', { level: 1 }).textContent()).toBe('#causal-demo')
    for (let step = 1; step <= 5; step++) {
      await peer.page.getByRole('button', { name: `Run step ${step}` }).click()
      await eventually(() => peer.page.locator('.demo-steps li.done').count()).toBe(step)
    }
    await eventually(() => peer.page.getByTestId('henry-order').locator('li').allTextContents()).toEqual([
      'Sally: Bill is missing!', "Sally: False alarm, he's fine", 'James: What a relief!'
    ])
    await eventually(async () => texts(await shownMessages(peer.page))).toEqual(['Bill is missing!', "False alarm, he's fine", 'What a relief!'])
    // The three are stand-ins in engines the user's never meets: nobody a direct message could reach, so none is offered.
    expect(await peer.page.getByTestId('message').filter({ hasText: 'Bill is missing!' }).locator('.author').textContent()).toBe('Sally')
    expect(await peer.page.getByTestId('message').getByRole('button', { name: /privately$/ }).count()).toBe(0)
    await openTab(peer.page, 'Space-time')
    await eventually(() => peer.page.getByTestId('lane').count()).toBe(4)
    // The stand-in for you is called "you", and its lane says so once.
    expect(await peer.page.getByTestId('lane-name').first().textContent()).toBe('you')
    await peer.page.getByRole('button', { name: 'Export SVG' }).waitFor()
    // Four lanes, two of them between others: no label lies on another or leaves the drawing. (James's
    // relief must cross an arrow: Sally's correction passes his dot on its way to Henry on every side.)
    const demoDeliveries = async () => (await peer.host.call('trace', { room: 'causal-demo' })).messages.reduce((n, m) => n + m.receipts.length, 0)
    await eventually(async () => (await peer.page.getByTestId('arrow').count()) > 0 && (await peer.page.getByTestId('arrow').count()) === (await demoDeliveries())).toBe(true)
    expect(await unreadableLabels(peer.page, { underArrows: false })).toEqual([])
    // Its four lanes fit the panel beside this 1,100 px window: Sally's lane needs no sideways scroll.
    const frame = await peer.page.locator('.spacetime-scroll').evaluate((e) => ({ drawn: e.scrollWidth, shown: e.clientWidth }))
    expect(frame.drawn).toBeLessThanOrEqual(frame.shown)
    // It is drawn on the panel's own colour, light or dark, and its words keep their edge of that colour.
    // Its frame too, where the diagram is narrower than the panel: no strip of another colour beside it.
    type Colours = { paper: string; edge: string; panel: string; frame: string } | null
    const colours = () => peer.page.evaluate<Colours>(`(() => {
      const paper = document.querySelector('.spacetime svg > rect')
      const words = document.querySelector('[data-testid="send-event"] text')
      const panel = document.querySelector('.netpanel-head')
      const frame = document.querySelector('.spacetime-scroll')
      return paper === null || words === null || panel === null || frame === null
        ? null
        : { paper: getComputedStyle(paper).fill, edge: getComputedStyle(words).stroke, panel: getComputedStyle(panel).backgroundColor, frame: getComputedStyle(frame).backgroundColor }
    })()`)
    for (const scheme of ['light', 'dark'] as const) {
      await peer.page.emulateMedia({ colorScheme: scheme })
      await eventually(async () => { const c = await colours(); return c !== null && c.paper === c.panel && c.edge === c.panel && c.frame === c.panel }).toBe(true).catch(async (err: unknown) => {
        // Failed once in a clean-clone CI run and never here: say which colour stayed apart, and in which scheme.
        throw new Error(`${(err as Error).message}\n${scheme}: ${JSON.stringify(await colours())}`)
      })
    }
    expect((await colours())?.panel).toBe('rgb(27, 30, 39)')
    await peer.page.emulateMedia({ colorScheme: 'light' })
    // The demo never met the user's engine: no demo peer in its list, the real friend still the only one,
    // and the friend got no #causal-demo room, message or delivery from it.
    const demoNames = ['Sally', 'James', 'Henry']
    expect((await peer.host.call('peers')).map((p) => p.name).filter((n) => demoNames.includes(n))).toEqual([])
    expect(await peerCount(peer.page)).toBe('1 peer connected')
    expect(await friend.host.call('rooms')).not.toContain('causal-demo')
    expect(await friend.host.call('history', { room: 'causal-demo' })).toEqual([])
    expect((await friend.host.call('peers')).map((p) => p.name).filter((n) => demoNames.includes(n))).toEqual([])
    await openTab(peer.page, 'Walkthrough')
    await peer.page.getByRole('button', { name: '7' }).click()
    await peer.page.getByRole('button', { name: 'Stop the three engines' }).click()
    await eventually(() => peer.page.getByRole('button', { name: 'Start Sally, James and Henry' }).isVisible()).toBe(true)
    // Nothing left behind: the room is gone from the list, and the user's own history never had it.
    expect(await peer.host.call('rooms')).not.toContain('causal-demo')
    expect(await peer.host.call('history', { room: 'causal-demo' })).toEqual([])
  })
})
