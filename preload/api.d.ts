// The renderer's view of what the preload exposes. Types only.
import type { LanChatApi } from './contract.js'

declare global {
  interface Window {
    lanchat: LanChatApi
  }
}

export {}
