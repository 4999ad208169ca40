/**
 * The app's icons: one drawn set (lucide), so that a button looks the same on
 * every system, whatever fonts it has (a symbol such as ⧉ or an emoji such as
 * 🗑 is drawn by the system's fonts, or as an empty box where it has none).
 * Decorative: the button or element around each icon carries its name.
 */
import { Ban, Bell, BellOff, Bookmark, BookmarkCheck, BookmarkMinus, Check, ChevronDown, ChevronRight, Clock3, Copy, File, FileArchive, FileCode, FileImage, FileMusic, FilePlay, FileSpreadsheet, FileText, Forward, Lock, Mail, Menu, Network, Pencil, Pin, PinOff, Plug, Presentation, Reply, Search, SendHorizontal, Settings, SmilePlus, Trash2, UserMinus, Users, type LucideProps } from 'lucide-react'
import type { FileKindName } from '../../../preload/contract'

const sized = (Icon: React.ComponentType<LucideProps>, size: number) =>
  function SizedIcon(props: LucideProps) {
    return <Icon size={size} strokeWidth={2} aria-hidden="true" focusable="false" {...props} />
  }

export const ReplyIcon = sized(Reply, 16)
export const ForwardIcon = sized(Forward, 16)
export const ReactIcon = sized(SmilePlus, 16)
export const EditIcon = sized(Pencil, 15)
export const DeleteIcon = sized(Trash2, 15)
export const CopyIcon = sized(Copy, 15)
export const CopiedIcon = sized(Check, 15)
export const SettingsIcon = sized(Settings, 18)
export const MailIcon = sized(Mail, 15)
export const BlockIcon = sized(Ban, 15)
export const ForgetIcon = sized(UserMinus, 15)
export const ConnectIcon = sized(Plug, 15)
export const MutedIcon = sized(BellOff, 13)
export const LockIcon = sized(Lock, 13)
/** Before a private conversation's name in the chat header. */
export const HeaderLockIcon = sized(Lock, 17)
export const SendIcon = sized(SendHorizontal, 18)
export const DeliveredIcon = sized(Check, 13)
export const PendingIcon = sized(Clock3, 12)
export const MembersIcon = sized(Users, 15)
export const MuteIcon = sized(Bell, 15)
export const UnmuteIcon = sized(BellOff, 15)
/** Pause notifications, under one's status; and paused. */
export const PauseIcon = sized(Bell, 12)
export const PausedIcon = sized(BellOff, 12)
export const SearchIcon = sized(Search, 15)
export const NetworkIcon = sized(Network, 15)
/** Pin and Unpin in a message's actions, the header's Pinned, and the mark on a pinned message (small). */
export const PinIcon = sized(Pin, 15)
export const UnpinIcon = sized(PinOff, 15)
export const PinnedIcon = sized(Pin, 12)
/** Save and Unsave in a message's actions (one's own list, not a pin), the sidebar's Saved, and the mark on a saved message. */
export const SaveIcon = sized(Bookmark, 15)
export const UnsaveIcon = sized(BookmarkMinus, 15)
export const SavedIcon = sized(BookmarkCheck, 12)
export const SavedListIcon = sized(Bookmark, 14)
/** The narrow window's button that opens the list of conversations. */
export const MenuIcon = sized(Menu, 18)
/** Before a sidebar section's title that folds: folded, and open. */
export const FoldedIcon = sized(ChevronRight, 13)
export const UnfoldedIcon = sized(ChevronDown, 13)

const FILE_ICONS: Record<FileKindName, React.ComponentType<LucideProps>> = {
  pdf: FileText, document: FileText, text: FileText, spreadsheet: FileSpreadsheet, slides: Presentation,
  archive: FileArchive, audio: FileMusic, video: FilePlay, image: FileImage, code: FileCode, other: File
}

/** A shared file's kind (file-kind.ts), on a card with no thumbnail. */
export function FileKindIcon({ kind }: { kind: FileKindName }) {
  const Icon = FILE_ICONS[kind]
  return <Icon size={28} strokeWidth={1.5} aria-hidden="true" focusable="false" className="file-kind-icon" data-kind={kind} />
}
