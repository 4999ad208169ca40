import { useEffect, useState } from 'react'

/** What the system prefers, followed live (the OS switching to dark at dusk). */
export function useSystemTheme(): 'dark' | 'light' {
  const query = window.matchMedia('(prefers-color-scheme: dark)')
  const [dark, setDark] = useState(query.matches)
  useEffect(() => {
    const change = (e: MediaQueryListEvent): void => setDark(e.matches)
    query.addEventListener('change', change)
    return () => query.removeEventListener('change', change)
  }, [query])
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
