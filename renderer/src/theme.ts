import { useEffect, useState } from 'react'

const DARK = '(prefers-color-scheme: dark)'

/** What the system prefers, followed live (the OS switching to dark at dusk). */
export function useSystemTheme(): 'dark' | 'light' {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches)
  useEffect(() => {
    // One query for the component's life, read again once listened to: a change between the first
    // render and this moment had no listener to tell. (A new query each render, listened to anew
    // each time, missed a change that came between a render and its effect: a window redrawing
    // often, as the space-time diagram during the walkthrough, kept the old colours for good.)
    const query = window.matchMedia(DARK)
    const change = (): void => setDark(query.matches)
    query.addEventListener('change', change)
    change()
    return () => query.removeEventListener('change', change)
  }, [])
  return dark ? 'dark' : 'light'
}

const chosen = (): string | undefined => document.documentElement.dataset.theme

/**
 * The theme the window is drawn in: the one Settings chose (App writes it on
 * the root as `data-theme`), else the system's. For what CSS cannot colour,
 * such as a drawing that must carry its own colours into an export.
 */
export function useShownTheme(): 'dark' | 'light' {
  const system = useSystemTheme()
  const [choice, setChoice] = useState(chosen)
  useEffect(() => {
    const watch = new MutationObserver(() => setChoice(chosen()))
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
    return () => watch.disconnect()
  }, [])
  return choice === 'dark' || choice === 'light' ? choice : system
}
