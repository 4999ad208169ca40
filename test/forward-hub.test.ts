/**
 * Forwarding in client–server mode, over a real hub and real clients on loopback: a DM's words
 * forwarded elsewhere ask the same confirm as between peers, then reach whom they were sent to
 * (and nobody else); a private file is shared again from the client's copy, the receiver's
 * download matching the bytes.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageView } from '../main/chat/types.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { cleanupHubs, startClient, startHub, type TestClient } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

type Answer = { ok: true, value: MessageView } | { ok: false, error: { name: string, message: string } }
const forward = async (c: TestClient, request: Record<string, unknown>): Promise<Answer> => await dispatchOver(headlessOperations(c.engine))('forward', request) as Answer
const got = (c: TestClient, room: string): MessageView[] => c.engine.history(room)

describe('forwarding through a hub', () => {
  it('a DM forwarded to a third client or a room asks first, then reaches them; a public message goes without asking; a private file is shared again whole', async () => {
    const h = await startHub()
    const ann = await startClient('Ann', h.addr())
    const ben = await startClient('Ben', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-ben-') } })
    const cat = await startClient('Cat', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-cat-') } })
    await until('all connected', () => [ann, ben, cat].every(x => x.engine.connected))
    // Clients learn of each other through what they say: Cat speaks once.
    ben.engine.joinRoom('general')
    const hello = await cat.engine.send('general', 'hello')
    await until('ben has cat\'s hello', () => got(ben, 'general').some(m => m.id === hello.id))

    const secret = await ann.engine.send('', 'the door code is 4417', { to: ben.engine.peerId })
    await until('ben has the DM', () => got(ben, secret.room).some(m => m.id === secret.id))
    expect(await forward(ben, { id: secret.id, to: cat.engine.peerId })).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError', message: expect.stringMatching(/ will read what Ann wrote to you privately\.$/) } })
    expect(await forward(ben, { id: secret.id, room: 'general' })).toMatchObject({ ok: false, error: { name: 'ForwardConfirmError' } })

    const toCat = await forward(ben, { id: secret.id, to: cat.engine.peerId, confirm: true })
    expect(toCat).toMatchObject({ ok: true, value: { private: true, text: 'Forwarded from Ann in a direct message:\nthe door code is 4417' } })
    const dm = (toCat as { value: MessageView }).value
    await until('cat has the forward', () => got(cat, dm.room).some(m => m.id === dm.id))
    expect(got(ann, dm.room)).toEqual([])

    const open = await ann.engine.send('general', 'lunch at one')
    await until('ben has it', () => got(ben, 'general').some(m => m.id === open.id))
    const toRoom = await forward(ben, { id: open.id, room: 'random' })
    expect(toRoom).toMatchObject({ ok: true, value: { room: 'random', text: 'Forwarded from Ann in #general:\nlunch at one' } })

    // A file Ann sent Ben privately, downloaded by Ben, forwarded to Cat: Cat's download is the same bytes.
    const content = randomBytes(200_000)
    const path = join(tempDir('lanchat-src-'), 'plans.bin')
    writeFileSync(path, content)
    const shared = await ann.engine.sendFile('', path, { to: ben.engine.peerId, text: 'the plans' })
    await until('ben has the file message', () => got(ben, shared.room).some(m => m.id === shared.id))
    await ben.engine.download(shared.id)
    const file = await forward(ben, { id: shared.id, to: cat.engine.peerId, confirm: true })
    expect(file).toMatchObject({ ok: true, value: { private: true, file: { name: 'plans.bin', size: content.length }, text: 'Forwarded from Ann in a direct message:\nthe plans' } })
    const fwd = (file as { value: MessageView }).value
    await until('cat has the file forward', () => got(cat, fwd.room).some(m => m.id === fwd.id))
    expect(readFileSync(await cat.engine.download(fwd.id)).equals(content)).toBe(true)
  }, 60_000)
})
