import { memo, useContext, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { OpenDm } from '../dm'
import { Actions, EditRequest, Names, useQuoted, type MessageActions } from '../reply'
import { focusComposer } from '../caret'
import { fullTime, localTime, shortId, writtenAt } from '../format'
import { Today } from '../today'
import type { Entry } from '../store'
import type { Readers } from '../delivery'
import { Avatar } from './Avatar'
import { FileCard } from './FileCard'
import { ConfirmDelete, EditBox, EditedMark, EmojiPicker, MessageMenu, ReactionChips, type Tool } from './MessageTools'
import { Blocked, PresenceDot } from './People'
import { RichText } from './RichText'
import { OtherNames, SelfName, SharedNames } from '../mentions'
import { invitation, mentions, mentionsEveryone, nameKey, noteSentence, previewText } from '../../../preload/contract'
import { Invitation } from './Invitation'
import { pinnedBy } from '../pins'
import { DeliveredIcon, LockIcon, MailIcon, PendingIcon, PinnedIcon, SavedIcon } from './icons'
import { SavedIds } from '../saved'

const STATE_LABEL = { sending: 'Sending…', pending: 'Pending', delivered: 'Delivered', failed: 'Not sent' } as const
const REFUSED = 'Not delivered: you had been removed from this room before it reached the others'

function details(entry: Entry): string {
  const m = entry.message
  const lines = [`Lamport ${m.lamport}`, `id ${m.id}`, `sent ${fullTime(m.sentAt)} (sender's clock)`]
  // Their clock was off ours when it came live: the time beside it is read on ours.
  if (m.clockOff !== undefined && m.clockOff !== 0) lines.push(`their clock was ${clockGap(m.clockOff)} ${m.clockOff > 0 ? 'behind' : 'ahead of'} this one's: shown at ${fullTime(writtenAt(m))}`)
  if (m.deliveredAt !== undefined) lines.push(`delivered ${fullTime(m.deliveredAt)}`)
  if (m.via !== undefined && m.via !== '') lines.push(`via ${shortId(m.via)}, ${m.hops ?? 0} relay(s)`)
  if (m.deps.length > 0) lines.push(`after ${m.deps.length} message(s)`)
  return lines.join('\n')
}

/** How far a clock was off, roughly: "3 days", "5 h", "12 min". */
function clockGap(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000)
  if (min < 120) return `${min} min`
  const h = Math.round(min / 60)
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`
}

/** Delivery of an own message: sent → delivered to k of n peers (receipts), or the hub's number. */
export interface Delivery {
  /** Peers whose receipts say they delivered it (in a DM or a private room, of its readers). */
  k: number
  /** Peers known (not blocked), or the conversation's readers. */
  n: number
  client: boolean
  readers?: Readers
}

function deliveryText(entry: Entry, d: Delivery): string {
  if (entry.state !== 'delivered') return STATE_LABEL[entry.state]
  if (d.client) return entry.message.seq !== undefined ? `Numbered #${entry.message.seq} by the hub, relayed to every client` : 'Sent'
  if (d.readers?.of === 'dm') return d.k > 0 ? `Sent, delivered to ${d.readers.name}` : `Sent, not delivered to ${d.readers.name} yet`
  const who = d.readers?.of === 'members' ? 'member' : 'peer'
  return `Sent, delivered to ${d.k} of ${d.n} ${who}${d.n === 1 ? '' : 's'}`
}

/**
 * A message's text, folded when it is taller than the fold (about 20 lines: styles.css): its
 * start shows, fading out, with "Show more" under it, as Slack and Teams fold a long paste so
 * it does not push the conversation off the screen. Screen readers get the whole text either way.
 */
function FoldedText({ text, children }: { text: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  const id = useId()
  const [long, setLong] = useState(false)
  const [open, setOpen] = useState(false)
  useLayoutEffect(() => {
    const el = ref.current
    if (el === null || open) return
    // Measured again when the row's width changes: a narrower window makes a text taller.
    const measure = (): void => setLong(el.scrollHeight > el.clientHeight + 1)
    measure()
    const resize = new ResizeObserver(measure)
    resize.observe(el)
    return () => resize.disconnect()
  }, [text, open])
  return (
    <>
      <div ref={ref} id={id} className={open ? 'text' : long ? 'text folded cut' : 'text folded'} data-testid="message-text">
        {children}
      </div>
      {(long || open) && (
        <button className="fold small" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : 'Show more'}
        </button>
      )}
    </>
  )
}

/** The newest edit request a row has taken (EditRequest's `n`). */
let editsTaken = 0

interface RowProps { entry: Entry; compact: boolean; delivery?: Delivery; revealed?: boolean }

/**
 * One row; `compact` continues the previous author's block without a header. A message from
 * someone this person blocked shows as one folded line, with their name and Show, as chat apps
 * fold a blocked person's messages in a shared room: the conversation around it stays readable.
 */
export const Message = memo(function Message(props: RowProps) {
  // Its time is drawn again in a new time zone.
  useContext(Today)
  const blocked = useContext(Blocked).has(props.entry.message.author) && !props.entry.own
  const [shown, setShown] = useState(false)
  if (!blocked || shown) return <MessageRow {...props} />
  const m = props.entry.message
  return (
    <article className="message from-blocked compact" data-testid="message" data-blocked="true" data-lamport={m.lamport} data-author={m.name} data-state={props.entry.state}>
      <div className="gutter" />
      <div className="content">
        <p className="hidden-line small">
          <span data-testid="message-text">A message from {m.name || shortId(m.author)}, whom you blocked</span>
          <button className="show-blocked" onClick={() => setShown(true)}>Show</button>
        </p>
      </div>
    </article>
  )
})

const MessageRow = function MessageRow({ entry, compact, delivery, revealed = false }: RowProps) {
  const m = entry.message
  const stamped = entry.state !== 'sending' && entry.state !== 'failed'
  const openDm = useContext(OpenDm)
  const names = useContext(Names)
  const [tool, setTool] = useState<Tool>(null)
  const [failed, setFailed] = useState<string | null>(null)
  // The stamp's details (Lamport, id, the author's clock and how far it was off) shown in the row, not only in its tooltip.
  const [detailed, setDetailed] = useState(false)
  const row = useRef<HTMLElement>(null)
  const rowId = useId()
  const actions = useContext(Actions)
  /**
   * A tool that ends gives the keyboard back, not to the page's body (where Tab starts again
   * from the top): an edit or a delete done to the message box, where the user types next; a
   * reaction picked or a tool cancelled to the button of the row's menu that opened it.
   */
  const close = (done = false): void => {
    const opener = tool === 'react' || tool === 'delete' ? row.current?.querySelector<HTMLElement>(`.actions [data-tool="${tool}"]`) : undefined
    const had = row.current?.contains(document.activeElement) === true
    setTool(null)
    if (tool === 'edit' || (tool === 'delete' && done)) focusComposer()
    else if (had) opener?.focus()
  }
  const editRequest = useContext(EditRequest)
  useEffect(() => {
    // Once: a row mounted again later (scrolled out and back) must not reopen its edit.
    if (editRequest === null || editRequest.n <= editsTaken || editRequest.id !== m.id || !entry.own || m.deleted === true) return
    editsTaken = editRequest.n
    setTool('edit')
  }, [editRequest, m.id, entry.own, m.deleted])
  const me = useContext(SelfName)
  const others = useContext(OtherNames)
  const shared = useContext(SharedNames)
  const invite = m.file === undefined ? invitation(m.text) : undefined
  const mentionsMe = !entry.own && me !== '' && mentions(m.text, me, others)
  const mentioned = mentionsMe || (!entry.own && me !== '' && mentionsEveryone(m.text))
  // Written in a private room after its creator removed us, before we heard: it reached nobody.
  const refused = entry.own && m.refused === true
  // Saved for later by this person (saved.ts): a mark of its own, apart from a pin.
  const saved = useContext(SavedIds).has(m.id)
  return (
    <article
      ref={row}
      className={`message${compact ? ' compact' : ''}${entry.own ? ' own' : ''}${revealed ? ' revealed' : ''}${mentioned ? ' mentioned' : ''} ${entry.state}`}
      data-mentioned={mentioned ? 'true' : undefined}
      aria-current={revealed ? 'true' : undefined}
      data-testid="message"
      data-lamport={stamped ? m.lamport : ''}
      data-author={m.name}
      data-state={entry.state}
    >
      <div className="gutter">{compact ? <time className="hover-time">{localTime(writtenAt(m))}</time> : <Avatar id={m.author} name={m.name} />}</div>
      <div className="content">
        {m.pinned !== undefined && m.deleted !== true && <PinnedMark by={m.pinned.by} at={m.pinned.at} />}
        {saved && m.deleted !== true && <SavedMark />}
        {!compact && (
          <header>
            <span className="author" title={m.fingerprint !== undefined ? `key ${m.fingerprint}` : undefined}>{m.name}</span>
            {/* Two people here go by this name (or names that look alike): the key, not the name, says who wrote it. */}
            {m.fingerprint !== undefined && shared.has(nameKey(m.name)) && (
              <span className="author-key" data-testid="author-key" title="Someone else here goes by this name: this key says who wrote it">{m.fingerprint}</span>
            )}
            {!entry.own && <PresenceDot peerId={m.author} />}
            {m.forked === true && (
              <span className="forked" data-testid="forked" title="This peer sent two different messages under one number (a copied or restored profile, or a key used twice). Every version is shown.">
                forked history
              </span>
            )}
            {m.private === true && <span className="private" role="img" aria-label="End-to-end encrypted" title="End-to-end encrypted: relays and the hub carry it sealed"><LockIcon /></span>}
            {!entry.own && m.to === undefined && openDm !== null && (
              <button className="icon small dm-author" aria-label={`Message ${m.name} privately`} title="Direct message (end-to-end encrypted)" onClick={() => openDm(m.author, m.name)}><MailIcon /></button>
            )}
            <time dateTime={new Date(writtenAt(m)).toISOString()} title={fullTime(writtenAt(m))}>{localTime(writtenAt(m))}</time>
          </header>
        )}
        {m.replyTo !== undefined && <Quote room={m.room} id={m.replyTo} />}
        {m.deleted === true ? (
          <p className="text deleted" data-testid="message-text">message deleted</p>
        ) : tool === 'edit' ? (
          <EditBox m={m} close={close} fail={setFailed} />
        ) : invite !== undefined ? (
          <>
            <Invitation code={m.text} invite={invite} own={entry.own} from={m.name} to={m.to === undefined ? undefined : { peerId: m.to, name: names?.nameOf(m.to) || shortId(m.to) }} />
            {/* Text edited into an invitation says so, as any edit does: what it said before is a click away. */}
            {m.edited === true && <p className="text"><EditedMark m={m} /></p>}
          </>
        ) : (
          (m.file === undefined || m.text !== `📎 ${m.file.name}` || m.edited === true) && (
            <FoldedText text={m.text}>
              <RichText text={m.text} me={entry.own ? '' : me} others={others} />
              {m.edited === true && <> <EditedMark m={m} /></>}
              {mentioned && <span className="visually-hidden">{mentionsMe ? ' (mentions you)' : ' (mentions everyone)'}</span>}
            </FoldedText>
          )
        )}
        {m.file !== undefined && m.deleted !== true && <FileCard message={m} own={entry.own} />}
        <ReactionChips m={m} fail={setFailed} />
        {tool === 'react' && <EmojiPicker m={m} close={close} fail={setFailed} />}
        {tool === 'delete' && <ConfirmDelete m={m} close={close} fail={setFailed} />}
        {entry.error !== undefined && <p className="error small" id={`${rowId}-why`}>{entry.error}</p>}
        {entry.state === 'failed' && actions?.unsent !== undefined && (
          <Unsent entry={entry} why={entry.error !== undefined ? `${rowId}-why` : undefined} unsent={actions.unsent} />
        )}
        {refused && <p className="error small" data-testid="refused">{REFUSED}</p>}
        {stamped && detailed && <p className="message-details small" data-testid="message-details">{details(entry)}</p>}
        {failed !== null && <p className="error small" role="alert">{failed}</p>}
      </div>
      <div className="meta">
        {stamped && <MessageMenu m={m} own={entry.own} tool={tool} setTool={(t) => { setFailed(null); setTool(t) }} />}
        {/* A button, so the keyboard and a screen reader reach what the tooltip says (a clock behind included). */}
        {stamped && <button type="button" className="lamport" title={details(entry)} aria-label={`L${m.lamport}, details`} aria-expanded={detailed} data-testid="lamport" onClick={() => setDetailed(!detailed)}>L{m.lamport}</button>}
        {/* In client–server mode the hub's number is the order everyone shows: on others' messages too (own ones carry it below). */}
        {stamped && !entry.own && m.seq !== undefined && <span className="kofn" data-testid="hub-seq" title="Numbered by the hub: every client shows this order">#{m.seq}</span>}
        {entry.own && !refused && delivery !== undefined && entry.state === 'delivered' && (
          <span className="kofn" data-testid="delivered-to" data-k={delivery.k} data-n={delivery.n}>
            {delivery.client ? (entry.message.seq !== undefined ? `#${entry.message.seq}` : '') : `${delivery.k}/${delivery.n}`}
          </span>
        )}
        {refused && <span className="delivery failed" role="img" title={REFUSED} aria-label={REFUSED}>!</span>}
        {entry.own && !refused && (
          <span className={`delivery ${entry.state}`} role="img" title={delivery === undefined ? STATE_LABEL[entry.state] : deliveryText(entry, delivery)} aria-label={delivery === undefined ? STATE_LABEL[entry.state] : deliveryText(entry, delivery)}>
            {entry.state === 'delivered' ? <DeliveredIcon /> : entry.state === 'failed' ? '!' : <PendingIcon />}
          </span>
        )}
      </div>
    </article>
  )
}

/** How much of a message not sent names its buttons. */
const UNSENT_NAME_CHARS = 40

/**
 * Under a message of ours marked *Not sent*: send it again (its text as a new message) or
 * discard it, as chat apps offer on a failed message, so that it is not left to copy and
 * paste. A file's message is not sent again from here (the file goes by the paper clip).
 */
function Unsent({ entry, why, unsent }: { entry: Entry; why: string | undefined; unsent: NonNullable<MessageActions['unsent']> }) {
  const m = entry.message
  // Named with its first words (a file's message by the file): with two messages not sent, a screen reader's list of buttons tells them apart.
  const words = previewText(m.text) || (m.file?.name ?? '')
  const what = words.length > UNSENT_NAME_CHARS ? `${words.slice(0, UNSENT_NAME_CHARS).trimEnd()}…` : words
  const named = (action: string): string => (what === '' ? action : `${action}: ${what}`)
  return (
    <p className="unsent small" data-testid="unsent">
      {m.file === undefined && unsent.again !== undefined && (
        <button type="button" aria-label={named('Send again')} aria-describedby={why} onClick={() => unsent.again?.(entry.key, m)}>Send again</button>
      )}
      <button type="button" aria-label={named('Discard')} aria-describedby={why} onClick={() => unsent.discard(entry.key, m.room, m.id)}>Discard</button>
    </p>
  )
}

/** Above a message one saved for later: theirs alone, apart from a pin (everyone's). */
function SavedMark() {
  return (
    <p className="saved-mark small" data-testid="saved-mark" title="You saved it for later: only you see it, under Saved">
      <SavedIcon /> Saved for later
    </p>
  )
}

/** Above a pinned message, as Slack shows it: a pin, and who pinned it (when, in its title). */
function PinnedMark({ by, at }: { by: string; at: number }) {
  const names = useContext(Names)
  return (
    <p className="pinned-mark small" data-testid="pinned-mark" title={`Pinned ${fullTime(at)}: everyone here finds it under Pinned`}>
      <PinnedIcon /> Pinned by {pinnedBy(by, names)}
    </p>
  )
}

/** The original above a reply: who wrote it and the start of its text; a click shows it in its context. */
function Quote({ room, id }: { room: string; id: string }) {
  const actions = useContext(Actions)
  const original = useQuoted(room, id)
  const blocked = useContext(Blocked)
  const label = original === undefined ? 'Loading the original…' : original === null ? 'The original is not in this history'
    : blocked.has(original.author) ? `${original.name}: a message from someone you blocked`
      : original.deleted === true ? `${original.name}: message deleted` : `${original.name}: ${previewText(original.text)}`
  return (
    <button className="quote small" data-testid="quote" title="Show the original" disabled={actions === null || original === null} onClick={() => actions?.jump(room, id)}>
      ↪ {label.length > 140 ? `${label.slice(0, 140)}…` : label}
    </button>
  )
}

/**
 * A change of a private room's members or name, as a line of its timeline (WhatsApp's "Ann added
 * Bob", Slack's "joined #design"): who did it, and when by the author's clock; no tools, no avatar.
 */
export function NoteLine({ entry }: { entry: Entry }) {
  useContext(Today)
  const names = useContext(Names)
  // Its details (Lamport, id, the author's clock) shown in the line, as a message's stamp shows them: not only in a tooltip.
  const [detailed, setDetailed] = useState(false)
  const m = entry.message
  const note = m.note
  if (note === undefined) return null
  const self = names?.self ?? ''
  const nameOf = (id: string): string => names?.nameOf(id) || shortId(id)
  const who = entry.own ? 'You' : m.name || shortId(m.author)
  const text = noteSentence(note, who, (id) => (id === self ? 'you' : nameOf(id)))
  return (
    <div className="note-line" data-testid="note">
      <span>{text}</span>{' '}
      {/* Its time is a button (the line's one Tab stop), so the keyboard and a screen reader reach what the tooltip says. */}
      <button type="button" className="note-time" title={details(entry)} aria-label={`${localTime(writtenAt(m))}, details`} aria-expanded={detailed} onClick={() => setDetailed(!detailed)}>
        <time dateTime={new Date(writtenAt(m)).toISOString()}>{localTime(writtenAt(m))}</time>
      </button>
      {detailed && <p className="message-details small" data-testid="note-details">{details(entry)}</p>}
    </div>
  )
}
