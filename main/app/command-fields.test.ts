/**
 * The fields of a JSON command (lines.ts): a script's misspelt or borrowed
 * field is refused by name, never dropped in silence.
 */
import { describe, expect, it } from 'vitest'
import { CommandError, parseLine } from './lines.js'

const refused = (line: string): string => {
  try {
    parseLine(line)
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError)
    return (err as Error).message
  }
  throw new Error(`taken: ${line}`)
}

describe('a JSON command\'s fields', () => {
  it('a field set to null is one not given, as a script\'s language writes an unset one', () => {
    expect(parseLine('{"cmd":"send","room":"lobby","text":"hi","replyTo":null,"to":null,"ref":null}')).toEqual(parseLine('{"cmd":"send","room":"lobby","text":"hi"}'))
    expect(parseLine('{"cmd":"history","room":"lobby","limit":null,"before":null,"ref":7}')).toEqual(parseLine('{"cmd":"history","room":"lobby","ref":7}'))
    // A needed field set to null is a missing one (the command's check then says so).
    expect(parseLine('{"cmd":"send","room":"lobby","text":null}')).toEqual(parseLine('{"cmd":"send","room":"lobby"}'))
  })

  it('a field the command does not take is refused, named, with the one likely meant; nothing is sent', () => {
    // block's word for a peer, given to send: it used to post the text in the lobby.
    expect(refused('{"cmd":"send","peerId":"12D3KooWabc","text":"the password is hunter2"}'))
      .toBe('"send" does not take "peerId" (did you mean "to"?): it takes "room", "to", "text", "replyTo" (and "ref"); nothing was done')
    expect(refused('{"cmd":"send","text":"x","replyto":"abc"}')).toMatch(/^"send" does not take "replyto" \(did you mean "replyTo"\?\)/)
    expect(refused('{"cmd":"send","txt":"x"}')).toMatch(/^"send" does not take "txt" \(did you mean "text"\?\)/)
    expect(refused('{"cmd":"block","to":"12D3KooWabc"}')).toMatch(/^"block" does not take "to" \(did you mean "peerId"\?\)/)
    expect(refused('{"cmd":"peers","verbose":true}')).toBe('"peers" does not take "verbose": it takes no field but "ref"; nothing was done')
    // Several are all named; a word like none of them is not "meant" as one.
    expect(refused('{"cmd":"send","text":"x","foo":1,"bar":2}')).toMatch(/^"send" does not take "foo", "bar": it takes/)
    expect(refused('{"cmd":"sned","text":"x"}')).toBe('unknown command "sned" (did you mean "send"?): {"cmd":"help"} lists the commands')
    expect(refused('{"cmd":"/join","room":"x"}')).toBe('unknown command "/join" (did you mean "join"?): {"cmd":"help"} lists the commands')
  })

  it('every documented field of every command is taken, and "ref" with any', () => {
    const lines = [
      { cmd: 'send', room: 'lobby', text: 'hi', replyTo: 'a'.repeat(64) }, { cmd: 'send', to: '12D3KooWabc', text: 'hi' },
      { cmd: 'edit', room: 'lobby', id: 'a', text: 't' }, { cmd: 'delete', room: 'lobby', id: 'a' },
      { cmd: 'react', room: 'lobby', id: 'a', emoji: '👍', on: false }, { cmd: 'unreact', room: 'lobby', id: 'a', emoji: '👍' },
      { cmd: 'pin', room: 'lobby', id: 'a', on: false }, { cmd: 'pins', room: 'lobby' }, { cmd: 'save', id: 'a', on: false }, { cmd: 'saved' },
      { cmd: 'versions', id: 'a' }, { cmd: 'dms' }, { cmd: 'close-dm', peerId: 'p' }, { cmd: 'create-private', name: 'n' },
      { cmd: 'accept', code: 'c' }, { cmd: 'check-invite', code: 'c' }, { cmd: 'invite', room: 'pr:x', to: 'p' },
      { cmd: 'members', room: 'r' }, { cmd: 'private-rooms' }, { cmd: 'remove', room: 'pr:x', peerId: 'p' },
      { cmd: 'give-keys', room: 'pr:x', peerId: 'p' }, { cmd: 'rename-private', room: 'pr:x', name: 'n' },
      { cmd: 'dial', addr: 'a', keepTrying: true }, { cmd: 'dial', addr: 'a', stop: true }, { cmd: 'block', peerId: 'p' }, { cmd: 'connect', peerId: 'p' },
      { cmd: 'unblock', peerId: 'p' }, { cmd: 'forget', peerId: 'p' },
      { cmd: 'history', room: 'r', limit: 5, before: 'a', notes: true }, { cmd: 'history', after: 'a' }, { cmd: 'history', around: 'a' },
      { cmd: 'search', q: 'x', room: 'r', limit: 5 }, { cmd: 'peers' }, { cmd: 'rooms' }, { cmd: 'join', room: 'r' },
      { cmd: 'leave', room: 'r' }, { cmd: 'mute', room: 'r' }, { cmd: 'unmute', room: 'r' }, { cmd: 'name', name: 'n' },
      { cmd: 'status', text: 't', until: 5 }, { cmd: 'stats' }, { cmd: 'mode', mode: 'client', server: 's' },
      { cmd: 'file', room: 'r', path: '/p', text: 't' }, { cmd: 'file', to: 'p', path: '/p' }, { cmd: 'download', id: 'a' },
      { cmd: 'cancel', id: 'a' }, { cmd: 'storage', free: true }, { cmd: 'typing', room: 'r' }, { cmd: 'presence', state: 'away' },
      { cmd: 'presence' }, { cmd: 'quit' }
    ]
    for (const line of lines) expect(parseLine(JSON.stringify({ ...line, ref: 7 })), JSON.stringify(line)).toMatchObject({ cmd: line.cmd, ref: 7 })
    // search passes its limit on (it was dropped: always 50 hits).
    expect(parseLine('{"cmd":"search","q":"x","limit":200}').payload).toEqual({ q: 'x', limit: 200 })
  })
})
