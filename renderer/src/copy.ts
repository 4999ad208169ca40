import { useEffect, useState } from 'react'

export type CopyState = 'idle' | 'copied' | 'failed'

/** What a Copy button says after a click: "Copied" for a moment, or that it could not, never nothing. */
export const COPY_WORDS: Record<CopyState, string> = { idle: 'Copy', copied: 'Copied', failed: 'Could not copy' }

/**
 * Copies text to the clipboard from a click, and says how it went for two
 * seconds: a Copy button that fails in silence leaves the user pasting
 * whatever was there before.
 */
export function useCopy(): { state: CopyState; copy: (text: string) => void } {
  const [state, setState] = useState<CopyState>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])
  const copy = (text: string): void => {
    const clipboard = navigator.clipboard as Clipboard | undefined
    if (clipboard === undefined) {
      setState('failed')
      return
    }
    clipboard.writeText(text).then(() => setState('copied'), () => setState('failed'))
  }
  return { state, copy }
}
