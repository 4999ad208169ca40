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
