/**
 * Invite codes as the engine and the window read them (main/core/invite.ts):
 * what a code carries, why a damaged one is not one, the codes made before
 * this reader (Node's base64url) still read, and a message is shown as an
 * invitation only when its whole text is a code — which is never previewed.
 */
import { describe, expect, it } from 'vitest'
import { INVITE_PREFIX, invitation, readInvite, writeInvite, type Invite } from '../main/core/invite.js'
import { decodeInvite } from '../main/chat/private-rooms.js'
import { previewText } from '../main/core/markup.js'

const invite: Invite = { v: 1, room: `pr:${'ab'.repeat(12)}`, name: 'Café ☕ team', creator: '12D3KooWcreator', keys: ['0f'.repeat(32)] }

describe('invite codes', () => {
  it('read back what was written, names outside ASCII too; codes written by Node\'s base64url read the same', () => {
    const code = writeInvite(invite)
    expect(code.startsWith(INVITE_PREFIX)).toBe(true)
    expect(code).not.toMatch(/[+/=]/)
    expect(readInvite(code)).toEqual(invite)
    const older = INVITE_PREFIX + Buffer.from(JSON.stringify(invite)).toString('base64url')
    expect(older).toBe(code)
    expect(readInvite(` ${older}\n`)).toEqual(invite)
  })

  it('read a code copied with the brackets, quotes or full stop of the sentence round it (the terminal prints "(its code: …)")', () => {
    const code = writeInvite(invite)
    for (const copied of [`${code})`, `(${code})`, `"${code}"`, `'${code}'.`, `<${code}>,`, `\`${code}\``, ` ${code}. `]) expect(readInvite(copied)).toEqual(invite)
    // Not inside: a character in the middle is still damage.
    expect(readInvite(`${code.slice(0, 50)})${code.slice(50)}`)).toBe('it is damaged (copied only in part?)')
  })

  it('say why a text is not a code; the engine refuses it with that reason', () => {
    const code = writeInvite(invite)
    expect(readInvite('hello')).toBe(`it starts with "${INVITE_PREFIX}"`)
    expect(readInvite(code.slice(0, 40))).toBe('it is damaged (copied only in part?)')
    expect(readInvite(`${INVITE_PREFIX}!!!`)).toBe('it is damaged (copied only in part?)')
    expect(readInvite(writeInvite({ ...invite, room: 'lobby' }))).toBe('no room in it')
    expect(readInvite(writeInvite({ ...invite, keys: ['short'] }))).toBe('no key in it')
    expect(readInvite(writeInvite({ ...invite, name: '   ' }))).toBe('no name or creator in it')
    expect(readInvite(writeInvite({ ...invite, v: 2 } as unknown as Invite))).toBe('unknown version')
    expect(() => decodeInvite(code.slice(0, 40))).toThrow(expect.objectContaining({ name: 'InvalidInviteError', message: 'That is not a LAN Chat invite code: it is damaged (copied only in part?).' }))
  })

  it('a message is an invitation only when its whole text is one code; a preview names the room, never the code', () => {
    const code = writeInvite(invite)
    expect(invitation(code)).toEqual({ room: invite.room, name: invite.name, creator: invite.creator })
    expect(invitation(`  ${code}\n`)).toEqual({ room: invite.room, name: invite.name, creator: invite.creator })
    expect(invitation(`join us: ${code}`)).toBeUndefined()
    expect(invitation(`${code} ${code}`)).toBeUndefined()
    expect(invitation(code.slice(0, 40))).toBeUndefined()
    // A message is a card only when it is the code alone, nothing round it.
    expect(invitation(`(${code})`)).toBeUndefined()
    expect(invitation(`${code}.`)).toBeUndefined()
    expect(previewText(code)).toBe('🔒 Invitation to the private room Café ☕ team')
    expect(previewText('**bold** text')).toBe('bold text')
  })
})
