/**
 * The app's id, as electron-builder.yml's `appId` (a test keeps them equal).
 * Windows ties toast notifications and the taskbar entry to it through the
 * AppUserModelId, so main sets it before any notification is shown.
 */
export const APP_ID = 'dev.lanchat.app'
