import { describe, expect, it } from 'vitest'
import { tooLargeText } from '../renderer/src/format.js'

/** What the window says of a file too large to send, before anything of it is read (renderer/src/files.ts tooLarge). */
describe('a file over the largest one that can be sent', () => {
  it('is named with both sizes; one byte over is said in bytes, not as large as the limit', () => {
    expect(tooLargeText('big.bin', 2 * 2 ** 20, 2 ** 20, false)).toBe('big.bin is 2.0 MiB; the largest file you can send is 1.0 MiB (see Settings).')
    expect(tooLargeText('edge.bin', 2 ** 20 + 1, 2 ** 20, false)).toBe('edge.bin is 1,048,577 bytes; the largest file you can send is 1,048,576 bytes (1.0 MiB, see Settings).')
    // A client whose server keeps less: the server's limit, said the same way.
    expect(tooLargeText('edge.bin', 2 ** 20 + 1, 2 ** 20, true)).toBe('edge.bin is 1,048,577 bytes; the server does not keep files over 1,048,576 bytes (1.0 MiB), so nobody could download it through the server.')
    expect(tooLargeText('big.bin', 2 * 2 ** 20, 2 ** 20, true)).toBe('big.bin is 2.0 MiB; the server does not keep files over 1.0 MiB, so nobody could download it through the server.')
  })
})
