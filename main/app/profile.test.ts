import { describe, expect, it } from 'vitest'
import { profileFrom } from './profile.js'

describe('profileFrom', () => {
  it('reads --profile NAME, --profile=NAME, then LANCHAT_PROFILE, else "default"', () => {
    expect(profileFrom(['electron', '.', '--profile', 'bob'], {})).toBe('bob')
    expect(profileFrom(['--profile=alice'], { LANCHAT_PROFILE: 'bob' })).toBe('alice')
    expect(profileFrom([], { LANCHAT_PROFILE: 'carol' })).toBe('carol')
    expect(profileFrom([], {})).toBe('default')
  })

  it('refuses names that would escape the profiles directory', () => {
    for (const bad of ['../x', 'a/b', '.hidden', 'x'.repeat(33)]) {
      expect(() => profileFrom(['--profile', bad], {})).toThrow(expect.objectContaining({ name: 'InvalidRequestError' }))
    }
  })
})
