import type { DragEvent } from 'react'

/** Handlers that make an element take files dropped on it (the conversation): they are shared in its room. */
export function dropZone(enabled: boolean, onFiles: (files: File[]) => void) {
  const hasFiles = (e: DragEvent): boolean => e.dataTransfer.types.includes('Files')
  return {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!enabled || !hasFiles(e)) return
      e.preventDefault()
      e.dataTransfer.dropEffect = 'copy'
      e.currentTarget.classList.add('dropping')
    },
    onDragLeave: (e: DragEvent<HTMLElement>) => {
      if (e.currentTarget.contains(e.relatedTarget as Node | null)) return
      e.currentTarget.classList.remove('dropping')
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      e.currentTarget.classList.remove('dropping')
      if (!enabled || !hasFiles(e)) return
      e.preventDefault()
      const files = [...e.dataTransfer.files]
      if (files.length > 0) onFiles(files)
    }
  }
}

/**
 * Files dropped anywhere but the conversation are refused where they fall, with a cursor that
 * says so. Without this the window offers to copy them anywhere and then opens the dropped file
 * in place of the app (the desktop app blocks that navigation, so the drop just vanished). A
 * drop the conversation took (its handler cancelled the event first) is left alone.
 */
export function refuseStrayDrops(target: Window = window): void {
  const stray = (e: globalThis.DragEvent): boolean => !e.defaultPrevented && (e.dataTransfer?.types.includes('Files') ?? false)
  target.addEventListener('dragover', (e) => {
    if (!stray(e)) return
    e.preventDefault()
    e.dataTransfer!.dropEffect = 'none'
  })
  target.addEventListener('drop', (e) => {
    if (stray(e)) e.preventDefault()
  })
}
