import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Body {
  room: string
  author: string
  name: string
  text: string
  lamport: number
  sentAt: number
  seq: number
  prev: Uint8Array<ArrayBuffer>
  deps: Uint8Array<ArrayBuffer>[]
  replyTo: Uint8Array<ArrayBuffer>
  sealed: Uint8Array<ArrayBuffer>
  to: string
  file?: FileManifest
  action?: Action
  pin?: Pin
}

export namespace Body {
  let _codec: Codec<Body>

  export const codec = (): Codec<Body> => {
    if (_codec == null) {
      _codec = message<Body>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.room != null && obj.room !== '')) {
          w.uint32(10)
          w.string(obj.room)
        }

        if ((obj.author != null && obj.author !== '')) {
          w.uint32(18)
          w.string(obj.author)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(26)
          w.string(obj.name)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(34)
          w.string(obj.text)
        }

        if ((obj.lamport != null && obj.lamport !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.lamport)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.sentAt)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.seq)
        }

        if ((obj.prev != null && obj.prev.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.prev)
        }

        if (obj.deps != null && obj.deps.length > 0) {
          for (const value of obj.deps) {
            w.uint32(74)
            w.bytes(value)
          }
        }

        if ((obj.replyTo != null && obj.replyTo.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.replyTo)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.sealed)
        }

        if ((obj.to != null && obj.to !== '')) {
          w.uint32(98)
          w.string(obj.to)
        }

        if (obj.file != null) {
          w.uint32(106)
          FileManifest.codec().encode(obj.file, w)
        }

        if (obj.action != null) {
          w.uint32(114)
          Action.codec().encode(obj.action, w)
        }

        if (obj.pin != null) {
          w.uint32(122)
          Pin.codec().encode(obj.pin, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          room: '',
          author: '',
          name: '',
          text: '',
          lamport: 0,
          sentAt: 0,
          seq: 0,
          prev: uint8ArrayAlloc(0),
          deps: [],
          replyTo: uint8ArrayAlloc(0),
          sealed: uint8ArrayAlloc(0),
          to: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.room = reader.string()
              break
            }
            case 2: {
              obj.author = reader.string()
              break
            }
            case 3: {
              obj.name = reader.string()
              break
            }
            case 4: {
              obj.text = reader.string()
              break
            }
            case 5: {
              obj.lamport = reader.uint64Number()
              break
            }
            case 6: {
              obj.sentAt = reader.uint64Number()
              break
            }
            case 7: {
              obj.seq = reader.uint64Number()
              break
            }
            case 8: {
              obj.prev = reader.bytes()
              break
            }
            case 9: {
              if (opts.limits?.deps != null && obj.deps.length === opts.limits.deps) {
                throw new MaxLengthError('Decode error - repeated field "deps" had too many elements')
              }

              obj.deps.push(reader.bytes())
              break
            }
            case 10: {
              obj.replyTo = reader.bytes()
              break
            }
            case 11: {
              obj.sealed = reader.bytes()
              break
            }
            case 12: {
              obj.to = reader.string()
              break
            }
            case 13: {
              obj.file = FileManifest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.file
              })
              break
            }
            case 14: {
              obj.action = Action.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.action
              })
              break
            }
            case 15: {
              obj.pin = Pin.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pin
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          deps: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.room`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.author`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.lamport`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.prev`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              if (opts.limits?.deps != null && obj.deps === opts.limits.deps) {
                throw new MaxLengthError('Streaming decode error - repeated field "deps" had too many elements')
              }

              yield {
                field: `${prefix}.deps[]`,
                index: obj.deps,
                value: reader.bytes()
              }

              obj.deps++

              break
            }
            case 10: {
              yield {
                field: `${prefix}.replyTo`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.to`,
                value: reader.string()
              }
              break
            }
            case 13: {
              yield * FileManifest.codec().stream(reader, reader.uint32(), `${prefix}.file`, {
                limits: opts.limits?.file
              })

              break
            }
            case 14: {
              yield * Action.codec().stream(reader, reader.uint32(), `${prefix}.action`, {
                limits: opts.limits?.action
              })

              break
            }
            case 15: {
              yield * Pin.codec().stream(reader, reader.uint32(), `${prefix}.pin`, {
                limits: opts.limits?.pin
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BodyRoomFieldEvent {
    field: '$.room'
    value: string
  }

  export interface BodyAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface BodyNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface BodyTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface BodyLamportFieldEvent {
    field: '$.lamport'
    value: number
  }

  export interface BodySentAtFieldEvent {
    field: '$.sentAt'
    value: number
  }

  export interface BodySeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface BodyPrevFieldEvent {
    field: '$.prev'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyDepsFieldEvent {
    field: '$.deps[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyReplyToFieldEvent {
    field: '$.replyTo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodySealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyToFieldEvent {
    field: '$.to'
    value: string
  }

  export interface BodyFileNameFieldEvent {
    field: '$.file.name'
    value: string
  }

  export interface BodyFileSizeFieldEvent {
    field: '$.file.size'
    value: number
  }

  export interface BodyFileMimeFieldEvent {
    field: '$.file.mime'
    value: string
  }

  export interface BodyFileSha256FieldEvent {
    field: '$.file.sha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyFileChunkSizeFieldEvent {
    field: '$.file.chunkSize'
    value: number
  }

  export interface BodyFileChunksRootFieldEvent {
    field: '$.file.chunksRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyFileThumbnailFieldEvent {
    field: '$.file.thumbnail'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyFileThumbnailMimeFieldEvent {
    field: '$.file.thumbnailMime'
    value: string
  }

  export interface BodyActionTargetFieldEvent {
    field: '$.action.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyActionKindFieldEvent {
    field: '$.action.kind'
    value: Action.Kind
  }

  export interface BodyActionEmojiFieldEvent {
    field: '$.action.emoji'
    value: string
  }

  export interface BodyPinTargetFieldEvent {
    field: '$.pin.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BodyPinOnFieldEvent {
    field: '$.pin.on'
    value: boolean
  }

  export function encode (obj: Partial<Body>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Body.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Body>): Body {
    return decodeMessage(buf, Body.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Body>): Generator<BodyRoomFieldEvent | BodyAuthorFieldEvent | BodyNameFieldEvent | BodyTextFieldEvent | BodyLamportFieldEvent | BodySentAtFieldEvent | BodySeqFieldEvent | BodyPrevFieldEvent | BodyDepsFieldEvent | BodyReplyToFieldEvent | BodySealedFieldEvent | BodyToFieldEvent | BodyFileNameFieldEvent | BodyFileSizeFieldEvent | BodyFileMimeFieldEvent | BodyFileSha256FieldEvent | BodyFileChunkSizeFieldEvent | BodyFileChunksRootFieldEvent | BodyFileThumbnailFieldEvent | BodyFileThumbnailMimeFieldEvent | BodyActionTargetFieldEvent | BodyActionKindFieldEvent | BodyActionEmojiFieldEvent | BodyPinTargetFieldEvent | BodyPinOnFieldEvent> {
    return streamMessage(buf, Body.codec(), opts)
  }
}

export interface Pin {
  target: Uint8Array<ArrayBuffer>
  on: boolean
}

export namespace Pin {
  let _codec: Codec<Pin>

  export const codec = (): Codec<Pin> => {
    if (_codec == null) {
      _codec = message<Pin>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.target)
        }

        if ((obj.on != null && obj.on !== false)) {
          w.uint32(16)
          w.bool(obj.on)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          target: uint8ArrayAlloc(0),
          on: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.target = reader.bytes()
              break
            }
            case 2: {
              obj.on = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.on`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PinTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PinOnFieldEvent {
    field: '$.on'
    value: boolean
  }

  export function encode (obj: Partial<Pin>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Pin.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Pin>): Pin {
    return decodeMessage(buf, Pin.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Pin>): Generator<PinTargetFieldEvent | PinOnFieldEvent> {
    return streamMessage(buf, Pin.codec(), opts)
  }
}

export interface Action {
  target: Uint8Array<ArrayBuffer>
  kind: Action.Kind
  emoji: string
}

export namespace Action {
  export enum Kind {
    KIND_UNSPECIFIED = 'KIND_UNSPECIFIED',
    EDIT = 'EDIT',
    DELETE = 'DELETE',
    REACT = 'REACT',
    UNREACT = 'UNREACT'
  }

  enum __KindValues {
    KIND_UNSPECIFIED = 0,
    EDIT = 1,
    DELETE = 2,
    REACT = 3,
    UNREACT = 4
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<Action>

  export const codec = (): Codec<Action> => {
    if (_codec == null) {
      _codec = message<Action>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.target)
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(16)
          Action.Kind.codec().encode(obj.kind, w)
        }

        if ((obj.emoji != null && obj.emoji !== '')) {
          w.uint32(26)
          w.string(obj.emoji)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          target: uint8ArrayAlloc(0),
          kind: Kind.KIND_UNSPECIFIED,
          emoji: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.target = reader.bytes()
              break
            }
            case 2: {
              obj.kind = Action.Kind.codec().decode(reader)
              break
            }
            case 3: {
              obj.emoji = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.kind`,
                value: Action.Kind.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.emoji`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ActionTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ActionKindFieldEvent {
    field: '$.kind'
    value: Action.Kind
  }

  export interface ActionEmojiFieldEvent {
    field: '$.emoji'
    value: string
  }

  export function encode (obj: Partial<Action>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Action.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Action>): Action {
    return decodeMessage(buf, Action.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Action>): Generator<ActionTargetFieldEvent | ActionKindFieldEvent | ActionEmojiFieldEvent> {
    return streamMessage(buf, Action.codec(), opts)
  }
}

export interface FileManifest {
  name: string
  size: number
  mime: string
  sha256: Uint8Array<ArrayBuffer>
  chunkSize: number
  chunksRoot: Uint8Array<ArrayBuffer>
  thumbnail: Uint8Array<ArrayBuffer>
  thumbnailMime: string
}

export namespace FileManifest {
  let _codec: Codec<FileManifest>

  export const codec = (): Codec<FileManifest> => {
    if (_codec == null) {
      _codec = message<FileManifest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.size)
        }

        if ((obj.mime != null && obj.mime !== '')) {
          w.uint32(26)
          w.string(obj.mime)
        }

        if ((obj.sha256 != null && obj.sha256.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.sha256)
        }

        if ((obj.chunkSize != null && obj.chunkSize !== 0)) {
          w.uint32(40)
          w.uint32(obj.chunkSize)
        }

        if ((obj.chunksRoot != null && obj.chunksRoot.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.chunksRoot)
        }

        if ((obj.thumbnail != null && obj.thumbnail.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.thumbnail)
        }

        if ((obj.thumbnailMime != null && obj.thumbnailMime !== '')) {
          w.uint32(66)
          w.string(obj.thumbnailMime)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          size: 0,
          mime: '',
          sha256: uint8ArrayAlloc(0),
          chunkSize: 0,
          chunksRoot: uint8ArrayAlloc(0),
          thumbnail: uint8ArrayAlloc(0),
          thumbnailMime: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.size = reader.uint64Number()
              break
            }
            case 3: {
              obj.mime = reader.string()
              break
            }
            case 4: {
              obj.sha256 = reader.bytes()
              break
            }
            case 5: {
              obj.chunkSize = reader.uint32()
              break
            }
            case 6: {
              obj.chunksRoot = reader.bytes()
              break
            }
            case 7: {
              obj.thumbnail = reader.bytes()
              break
            }
            case 8: {
              obj.thumbnailMime = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.mime`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sha256`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.chunkSize`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.chunksRoot`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.thumbnail`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.thumbnailMime`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FileManifestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface FileManifestSizeFieldEvent {
    field: '$.size'
    value: number
  }

  export interface FileManifestMimeFieldEvent {
    field: '$.mime'
    value: string
  }

  export interface FileManifestSha256FieldEvent {
    field: '$.sha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileManifestChunkSizeFieldEvent {
    field: '$.chunkSize'
    value: number
  }

  export interface FileManifestChunksRootFieldEvent {
    field: '$.chunksRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileManifestThumbnailFieldEvent {
    field: '$.thumbnail'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileManifestThumbnailMimeFieldEvent {
    field: '$.thumbnailMime'
    value: string
  }

  export function encode (obj: Partial<FileManifest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileManifest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileManifest>): FileManifest {
    return decodeMessage(buf, FileManifest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileManifest>): Generator<FileManifestNameFieldEvent | FileManifestSizeFieldEvent | FileManifestMimeFieldEvent | FileManifestSha256FieldEvent | FileManifestChunkSizeFieldEvent | FileManifestChunksRootFieldEvent | FileManifestThumbnailFieldEvent | FileManifestThumbnailMimeFieldEvent> {
    return streamMessage(buf, FileManifest.codec(), opts)
  }
}

export interface Envelope {
  body: Uint8Array<ArrayBuffer>
  sig: Uint8Array<ArrayBuffer>
  hops: number
  redacted: Uint8Array<ArrayBuffer>
  late: boolean
}

export namespace Envelope {
  let _codec: Codec<Envelope>

  export const codec = (): Codec<Envelope> => {
    if (_codec == null) {
      _codec = message<Envelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(24)
          w.uint32(obj.hops)
        }

        if ((obj.redacted != null && obj.redacted.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.redacted)
        }

        if ((obj.late != null && obj.late !== false)) {
          w.uint32(40)
          w.bool(obj.late)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0),
          hops: 0,
          redacted: uint8ArrayAlloc(0),
          late: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.sig = reader.bytes()
              break
            }
            case 3: {
              obj.hops = reader.uint32()
              break
            }
            case 4: {
              obj.redacted = reader.bytes()
              break
            }
            case 5: {
              obj.late = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.redacted`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.late`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopeBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeSigFieldEvent {
    field: '$.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface EnvelopeRedactedFieldEvent {
    field: '$.redacted'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeLateFieldEvent {
    field: '$.late'
    value: boolean
  }

  export function encode (obj: Partial<Envelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Envelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Envelope {
    return decodeMessage(buf, Envelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Generator<EnvelopeBodyFieldEvent | EnvelopeSigFieldEvent | EnvelopeHopsFieldEvent | EnvelopeRedactedFieldEvent | EnvelopeLateFieldEvent> {
    return streamMessage(buf, Envelope.codec(), opts)
  }
}

export interface VectorEntry {
  author: string
  seq: number
  forkFloor: number
  forkCount: number
  forkDigest: Uint8Array<ArrayBuffer>
  head: Uint8Array<ArrayBuffer>
}

export namespace VectorEntry {
  let _codec: Codec<VectorEntry>

  export const codec = (): Codec<VectorEntry> => {
    if (_codec == null) {
      _codec = message<VectorEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author !== '')) {
          w.uint32(10)
          w.string(obj.author)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.seq)
        }

        if ((obj.forkFloor != null && obj.forkFloor !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.forkFloor)
        }

        if ((obj.forkCount != null && obj.forkCount !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.forkCount)
        }

        if ((obj.forkDigest != null && obj.forkDigest.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.forkDigest)
        }

        if ((obj.head != null && obj.head.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.head)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: '',
          seq: 0,
          forkFloor: 0,
          forkCount: 0,
          forkDigest: uint8ArrayAlloc(0),
          head: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.author = reader.string()
              break
            }
            case 2: {
              obj.seq = reader.uint64Number()
              break
            }
            case 3: {
              obj.forkFloor = reader.uint64Number()
              break
            }
            case 4: {
              obj.forkCount = reader.uint64Number()
              break
            }
            case 5: {
              obj.forkDigest = reader.bytes()
              break
            }
            case 6: {
              obj.head = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.author`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.forkFloor`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.forkCount`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.forkDigest`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.head`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface VectorEntryAuthorFieldEvent {
    field: '$.author'
    value: string
  }

  export interface VectorEntrySeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface VectorEntryForkFloorFieldEvent {
    field: '$.forkFloor'
    value: number
  }

  export interface VectorEntryForkCountFieldEvent {
    field: '$.forkCount'
    value: number
  }

  export interface VectorEntryForkDigestFieldEvent {
    field: '$.forkDigest'
    value: Uint8Array<ArrayBuffer>
  }

  export interface VectorEntryHeadFieldEvent {
    field: '$.head'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<VectorEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, VectorEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VectorEntry>): VectorEntry {
    return decodeMessage(buf, VectorEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<VectorEntry>): Generator<VectorEntryAuthorFieldEvent | VectorEntrySeqFieldEvent | VectorEntryForkFloorFieldEvent | VectorEntryForkCountFieldEvent | VectorEntryForkDigestFieldEvent | VectorEntryHeadFieldEvent> {
    return streamMessage(buf, VectorEntry.codec(), opts)
  }
}

export interface Frame {
  hello?: Hello
  messages: Envelope[]
  sync?: SyncRequest
  want?: Want
  receipts: Receipt[]
  answer: boolean
  signedReceipts?: SignedReceipts
  typing?: Typing
  presence?: Presence
  presenceNews: PresenceNews[]
  deliverySummaries: SignedSummary[]
  peers: PeerAddrs[]
}

export namespace Frame {
  let _codec: Codec<Frame>

  export const codec = (): Codec<Frame> => {
    if (_codec == null) {
      _codec = message<Frame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.hello != null) {
          w.uint32(10)
          Hello.codec().encode(obj.hello, w)
        }

        if (obj.messages != null && obj.messages.length > 0) {
          for (const value of obj.messages) {
            w.uint32(18)
            Envelope.codec().encode(value, w)
          }
        }

        if (obj.sync != null) {
          w.uint32(26)
          SyncRequest.codec().encode(obj.sync, w)
        }

        if (obj.want != null) {
          w.uint32(34)
          Want.codec().encode(obj.want, w)
        }

        if (obj.receipts != null && obj.receipts.length > 0) {
          for (const value of obj.receipts) {
            w.uint32(42)
            Receipt.codec().encode(value, w)
          }
        }

        if ((obj.answer != null && obj.answer !== false)) {
          w.uint32(48)
          w.bool(obj.answer)
        }

        if (obj.signedReceipts != null) {
          w.uint32(58)
          SignedReceipts.codec().encode(obj.signedReceipts, w)
        }

        if (obj.typing != null) {
          w.uint32(66)
          Typing.codec().encode(obj.typing, w)
        }

        if (obj.presence != null) {
          w.uint32(74)
          Presence.codec().encode(obj.presence, w)
        }

        if (obj.presenceNews != null && obj.presenceNews.length > 0) {
          for (const value of obj.presenceNews) {
            w.uint32(82)
            PresenceNews.codec().encode(value, w)
          }
        }

        if (obj.deliverySummaries != null && obj.deliverySummaries.length > 0) {
          for (const value of obj.deliverySummaries) {
            w.uint32(90)
            SignedSummary.codec().encode(value, w)
          }
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(98)
            PeerAddrs.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messages: [],
          receipts: [],
          answer: false,
          presenceNews: [],
          deliverySummaries: [],
          peers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hello = Hello.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hello
              })
              break
            }
            case 2: {
              if (opts.limits?.messages != null && obj.messages.length === opts.limits.messages) {
                throw new MaxLengthError('Decode error - repeated field "messages" had too many elements')
              }

              obj.messages.push(Envelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.messages$
              }))
              break
            }
            case 3: {
              obj.sync = SyncRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sync
              })
              break
            }
            case 4: {
              obj.want = Want.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.want
              })
              break
            }
            case 5: {
              if (opts.limits?.receipts != null && obj.receipts.length === opts.limits.receipts) {
                throw new MaxLengthError('Decode error - repeated field "receipts" had too many elements')
              }

              obj.receipts.push(Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipts$
              }))
              break
            }
            case 6: {
              obj.answer = reader.bool()
              break
            }
            case 7: {
              obj.signedReceipts = SignedReceipts.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.signedReceipts
              })
              break
            }
            case 8: {
              obj.typing = Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 9: {
              obj.presence = Presence.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.presence
              })
              break
            }
            case 10: {
              if (opts.limits?.presenceNews != null && obj.presenceNews.length === opts.limits.presenceNews) {
                throw new MaxLengthError('Decode error - repeated field "presenceNews" had too many elements')
              }

              obj.presenceNews.push(PresenceNews.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.presenceNews$
              }))
              break
            }
            case 11: {
              if (opts.limits?.deliverySummaries != null && obj.deliverySummaries.length === opts.limits.deliverySummaries) {
                throw new MaxLengthError('Decode error - repeated field "deliverySummaries" had too many elements')
              }

              obj.deliverySummaries.push(SignedSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deliverySummaries$
              }))
              break
            }
            case 12: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(PeerAddrs.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peers$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          messages: 0,
          receipts: 0,
          presenceNews: 0,
          deliverySummaries: 0,
          peers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Hello.codec().stream(reader, reader.uint32(), `${prefix}.hello`, {
                limits: opts.limits?.hello
              })

              break
            }
            case 2: {
              if (opts.limits?.messages != null && obj.messages === opts.limits.messages) {
                throw new MaxLengthError('Streaming decode error - repeated field "messages" had too many elements')
              }

              for (const evt of Envelope.codec().stream(reader, reader.uint32(), `${prefix}.messages[]`, {
                limits: opts.limits?.messages$
              })) {
                yield {
                  ...evt,
                  index: obj.messages
                }
              }

              obj.messages++

              break
            }
            case 3: {
              yield * SyncRequest.codec().stream(reader, reader.uint32(), `${prefix}.sync`, {
                limits: opts.limits?.sync
              })

              break
            }
            case 4: {
              yield * Want.codec().stream(reader, reader.uint32(), `${prefix}.want`, {
                limits: opts.limits?.want
              })

              break
            }
            case 5: {
              if (opts.limits?.receipts != null && obj.receipts === opts.limits.receipts) {
                throw new MaxLengthError('Streaming decode error - repeated field "receipts" had too many elements')
              }

              for (const evt of Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipts[]`, {
                limits: opts.limits?.receipts$
              })) {
                yield {
                  ...evt,
                  index: obj.receipts
                }
              }

              obj.receipts++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.answer`,
                value: reader.bool()
              }
              break
            }
            case 7: {
              yield * SignedReceipts.codec().stream(reader, reader.uint32(), `${prefix}.signedReceipts`, {
                limits: opts.limits?.signedReceipts
              })

              break
            }
            case 8: {
              yield * Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 9: {
              yield * Presence.codec().stream(reader, reader.uint32(), `${prefix}.presence`, {
                limits: opts.limits?.presence
              })

              break
            }
            case 10: {
              if (opts.limits?.presenceNews != null && obj.presenceNews === opts.limits.presenceNews) {
                throw new MaxLengthError('Streaming decode error - repeated field "presenceNews" had too many elements')
              }

              for (const evt of PresenceNews.codec().stream(reader, reader.uint32(), `${prefix}.presenceNews[]`, {
                limits: opts.limits?.presenceNews$
              })) {
                yield {
                  ...evt,
                  index: obj.presenceNews
                }
              }

              obj.presenceNews++

              break
            }
            case 11: {
              if (opts.limits?.deliverySummaries != null && obj.deliverySummaries === opts.limits.deliverySummaries) {
                throw new MaxLengthError('Streaming decode error - repeated field "deliverySummaries" had too many elements')
              }

              for (const evt of SignedSummary.codec().stream(reader, reader.uint32(), `${prefix}.deliverySummaries[]`, {
                limits: opts.limits?.deliverySummaries$
              })) {
                yield {
                  ...evt,
                  index: obj.deliverySummaries
                }
              }

              obj.deliverySummaries++

              break
            }
            case 12: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              for (const evt of PeerAddrs.codec().stream(reader, reader.uint32(), `${prefix}.peers[]`, {
                limits: opts.limits?.peers$
              })) {
                yield {
                  ...evt,
                  index: obj.peers
                }
              }

              obj.peers++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FrameHelloNameFieldEvent {
    field: '$.hello.name'
    value: string
  }

  export interface FrameHelloVersionFieldEvent {
    field: '$.hello.version'
    value: number
  }

  export interface FrameHelloAppVersionFieldEvent {
    field: '$.hello.appVersion'
    value: string
  }

  export interface FrameHelloFeatureLevelFieldEvent {
    field: '$.hello.featureLevel'
    value: number
  }

  export interface FrameMessagesBodyFieldEvent {
    field: '$.messages[].body'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameMessagesSigFieldEvent {
    field: '$.messages[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameMessagesHopsFieldEvent {
    field: '$.messages[].hops'
    value: number
    index: number
  }

  export interface FrameMessagesRedactedFieldEvent {
    field: '$.messages[].redacted'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameMessagesLateFieldEvent {
    field: '$.messages[].late'
    value: boolean
    index: number
  }

  export interface FrameSyncVectorAuthorFieldEvent {
    field: '$.sync.vector[].author'
    value: string
    index: number
  }

  export interface FrameSyncVectorSeqFieldEvent {
    field: '$.sync.vector[].seq'
    value: number
    index: number
  }

  export interface FrameSyncVectorForkFloorFieldEvent {
    field: '$.sync.vector[].forkFloor'
    value: number
    index: number
  }

  export interface FrameSyncVectorForkCountFieldEvent {
    field: '$.sync.vector[].forkCount'
    value: number
    index: number
  }

  export interface FrameSyncVectorForkDigestFieldEvent {
    field: '$.sync.vector[].forkDigest'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameSyncVectorHeadFieldEvent {
    field: '$.sync.vector[].head'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameSyncDigestFieldEvent {
    field: '$.sync.digest'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameSyncSeriesFieldEvent {
    field: '$.sync.series'
    value: number
  }

  export interface FrameSyncPartFieldEvent {
    field: '$.sync.part'
    value: number
  }

  export interface FrameSyncPartsFieldEvent {
    field: '$.sync.parts'
    value: number
  }

  export interface FrameSyncBucketsFieldEvent {
    field: '$.sync.buckets'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameSyncScopeFieldEvent {
    field: '$.sync.scope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameWantIdsFieldEvent {
    field: '$.want.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameReceiptsIdFieldEvent {
    field: '$.receipts[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameReceiptsByFieldEvent {
    field: '$.receipts[].by'
    value: string
    index: number
  }

  export interface FrameReceiptsLamportFieldEvent {
    field: '$.receipts[].lamport'
    value: number
    index: number
  }

  export interface FrameReceiptsAtFieldEvent {
    field: '$.receipts[].at'
    value: number
    index: number
  }

  export interface FrameAnswerFieldEvent {
    field: '$.answer'
    value: boolean
  }

  export interface FrameSignedReceiptsBatchFieldEvent {
    field: '$.signedReceipts.batch'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameSignedReceiptsSigFieldEvent {
    field: '$.signedReceipts.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameTypingRoomFieldEvent {
    field: '$.typing.room'
    value: string
  }

  export interface FrameTypingToFieldEvent {
    field: '$.typing.to'
    value: string
  }

  export interface FrameTypingPeerFieldEvent {
    field: '$.typing.peer'
    value: string
  }

  export interface FrameTypingNameFieldEvent {
    field: '$.typing.name'
    value: string
  }

  export interface FrameTypingAmongFieldEvent {
    field: '$.typing.among[]'
    index: number
    value: string
  }

  export interface FramePresenceStateFieldEvent {
    field: '$.presence.state'
    value: Presence.State
  }

  export interface FramePresencePeerFieldEvent {
    field: '$.presence.peer'
    value: string
  }

  export interface FramePresenceNameFieldEvent {
    field: '$.presence.name'
    value: string
  }

  export interface FramePresenceLastSeenFieldEvent {
    field: '$.presence.lastSeen'
    value: number
  }

  export interface FramePresenceStayingFieldEvent {
    field: '$.presence.staying'
    value: boolean
  }

  export interface FramePresenceStatusFieldEvent {
    field: '$.presence.status'
    value: string
  }

  export interface FramePresenceStatusUntilFieldEvent {
    field: '$.presence.statusUntil'
    value: number
  }

  export interface FramePresenceAppVersionFieldEvent {
    field: '$.presence.appVersion'
    value: string
  }

  export interface FramePresenceFeatureLevelFieldEvent {
    field: '$.presence.featureLevel'
    value: number
  }

  export interface FramePresenceNewsClaimFieldEvent {
    field: '$.presenceNews[].claim'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FramePresenceNewsSigFieldEvent {
    field: '$.presenceNews[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameDeliverySummariesSummaryFieldEvent {
    field: '$.deliverySummaries[].summary'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FrameDeliverySummariesSigFieldEvent {
    field: '$.deliverySummaries[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FramePeersIdFieldEvent {
    field: '$.peers[].id'
    value: string
    index: number
  }

  export interface FramePeersAddrsFieldEvent {
    field: '$.peers[].addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<Frame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Frame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Frame {
    return decodeMessage(buf, Frame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Generator<FrameHelloNameFieldEvent | FrameHelloVersionFieldEvent | FrameHelloAppVersionFieldEvent | FrameHelloFeatureLevelFieldEvent | FrameMessagesBodyFieldEvent | FrameMessagesSigFieldEvent | FrameMessagesHopsFieldEvent | FrameMessagesRedactedFieldEvent | FrameMessagesLateFieldEvent | FrameSyncVectorAuthorFieldEvent | FrameSyncVectorSeqFieldEvent | FrameSyncVectorForkFloorFieldEvent | FrameSyncVectorForkCountFieldEvent | FrameSyncVectorForkDigestFieldEvent | FrameSyncVectorHeadFieldEvent | FrameSyncDigestFieldEvent | FrameSyncSeriesFieldEvent | FrameSyncPartFieldEvent | FrameSyncPartsFieldEvent | FrameSyncBucketsFieldEvent | FrameSyncScopeFieldEvent | FrameWantIdsFieldEvent | FrameReceiptsIdFieldEvent | FrameReceiptsByFieldEvent | FrameReceiptsLamportFieldEvent | FrameReceiptsAtFieldEvent | FrameAnswerFieldEvent | FrameSignedReceiptsBatchFieldEvent | FrameSignedReceiptsSigFieldEvent | FrameTypingRoomFieldEvent | FrameTypingToFieldEvent | FrameTypingPeerFieldEvent | FrameTypingNameFieldEvent | FrameTypingAmongFieldEvent | FramePresenceStateFieldEvent | FramePresencePeerFieldEvent | FramePresenceNameFieldEvent | FramePresenceLastSeenFieldEvent | FramePresenceStayingFieldEvent | FramePresenceStatusFieldEvent | FramePresenceStatusUntilFieldEvent | FramePresenceAppVersionFieldEvent | FramePresenceFeatureLevelFieldEvent | FramePresenceNewsClaimFieldEvent | FramePresenceNewsSigFieldEvent | FrameDeliverySummariesSummaryFieldEvent | FrameDeliverySummariesSigFieldEvent | FramePeersIdFieldEvent | FramePeersAddrsFieldEvent> {
    return streamMessage(buf, Frame.codec(), opts)
  }
}

export interface PeerAddrs {
  id: string
  addrs: string[]
}

export namespace PeerAddrs {
  let _codec: Codec<PeerAddrs>

  export const codec = (): Codec<PeerAddrs> => {
    if (_codec == null) {
      _codec = message<PeerAddrs>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.string())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.string()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerAddrsIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface PeerAddrsAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<PeerAddrs>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerAddrs.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddrs>): PeerAddrs {
    return decodeMessage(buf, PeerAddrs.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddrs>): Generator<PeerAddrsIdFieldEvent | PeerAddrsAddrsFieldEvent> {
    return streamMessage(buf, PeerAddrs.codec(), opts)
  }
}

export interface Typing {
  room: string
  to: string
  peer: string
  name: string
  among: string[]
}

export namespace Typing {
  let _codec: Codec<Typing>

  export const codec = (): Codec<Typing> => {
    if (_codec == null) {
      _codec = message<Typing>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.room != null && obj.room !== '')) {
          w.uint32(10)
          w.string(obj.room)
        }

        if ((obj.to != null && obj.to !== '')) {
          w.uint32(18)
          w.string(obj.to)
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(26)
          w.string(obj.peer)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(34)
          w.string(obj.name)
        }

        if (obj.among != null && obj.among.length > 0) {
          for (const value of obj.among) {
            w.uint32(42)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          room: '',
          to: '',
          peer: '',
          name: '',
          among: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.room = reader.string()
              break
            }
            case 2: {
              obj.to = reader.string()
              break
            }
            case 3: {
              obj.peer = reader.string()
              break
            }
            case 4: {
              obj.name = reader.string()
              break
            }
            case 5: {
              if (opts.limits?.among != null && obj.among.length === opts.limits.among) {
                throw new MaxLengthError('Decode error - repeated field "among" had too many elements')
              }

              obj.among.push(reader.string())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          among: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.room`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.peer`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 5: {
              if (opts.limits?.among != null && obj.among === opts.limits.among) {
                throw new MaxLengthError('Streaming decode error - repeated field "among" had too many elements')
              }

              yield {
                field: `${prefix}.among[]`,
                index: obj.among,
                value: reader.string()
              }

              obj.among++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TypingRoomFieldEvent {
    field: '$.room'
    value: string
  }

  export interface TypingToFieldEvent {
    field: '$.to'
    value: string
  }

  export interface TypingPeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface TypingNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface TypingAmongFieldEvent {
    field: '$.among[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<Typing>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Typing.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Typing {
    return decodeMessage(buf, Typing.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Generator<TypingRoomFieldEvent | TypingToFieldEvent | TypingPeerFieldEvent | TypingNameFieldEvent | TypingAmongFieldEvent> {
    return streamMessage(buf, Typing.codec(), opts)
  }
}

export interface Presence {
  state: Presence.State
  peer: string
  name: string
  lastSeen: number
  staying: boolean
  status?: string
  statusUntil: number
  appVersion?: string
  featureLevel?: number
}

export namespace Presence {
  export enum State {
    ONLINE = 'ONLINE',
    AWAY = 'AWAY',
    OFFLINE = 'OFFLINE'
  }

  enum __StateValues {
    ONLINE = 0,
    AWAY = 1,
    OFFLINE = 2
  }

  export namespace State {
    export const codec = (): Codec<State> => {
      return enumeration<State>(__StateValues)
    }
  }

  let _codec: Codec<Presence>

  export const codec = (): Codec<Presence> => {
    if (_codec == null) {
      _codec = message<Presence>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.state != null && __StateValues[obj.state] !== 0) {
          w.uint32(8)
          Presence.State.codec().encode(obj.state, w)
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(18)
          w.string(obj.peer)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(26)
          w.string(obj.name)
        }

        if ((obj.lastSeen != null && obj.lastSeen !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.lastSeen)
        }

        if ((obj.staying != null && obj.staying !== false)) {
          w.uint32(40)
          w.bool(obj.staying)
        }

        if (obj.status != null) {
          w.uint32(50)
          w.string(obj.status)
        }

        if ((obj.statusUntil != null && obj.statusUntil !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.statusUntil)
        }

        if (obj.appVersion != null) {
          w.uint32(66)
          w.string(obj.appVersion)
        }

        if (obj.featureLevel != null) {
          w.uint32(72)
          w.uint32(obj.featureLevel)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          state: State.ONLINE,
          peer: '',
          name: '',
          lastSeen: 0,
          staying: false,
          statusUntil: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.state = Presence.State.codec().decode(reader)
              break
            }
            case 2: {
              obj.peer = reader.string()
              break
            }
            case 3: {
              obj.name = reader.string()
              break
            }
            case 4: {
              obj.lastSeen = reader.uint64Number()
              break
            }
            case 5: {
              obj.staying = reader.bool()
              break
            }
            case 6: {
              obj.status = reader.string()
              break
            }
            case 7: {
              obj.statusUntil = reader.uint64Number()
              break
            }
            case 8: {
              obj.appVersion = reader.string()
              break
            }
            case 9: {
              obj.featureLevel = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.state`,
                value: Presence.State.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.peer`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.lastSeen`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.staying`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.status`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.statusUntil`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.appVersion`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.featureLevel`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PresenceStateFieldEvent {
    field: '$.state'
    value: Presence.State
  }

  export interface PresencePeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface PresenceNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface PresenceLastSeenFieldEvent {
    field: '$.lastSeen'
    value: number
  }

  export interface PresenceStayingFieldEvent {
    field: '$.staying'
    value: boolean
  }

  export interface PresenceStatusFieldEvent {
    field: '$.status'
    value: string
  }

  export interface PresenceStatusUntilFieldEvent {
    field: '$.statusUntil'
    value: number
  }

  export interface PresenceAppVersionFieldEvent {
    field: '$.appVersion'
    value: string
  }

  export interface PresenceFeatureLevelFieldEvent {
    field: '$.featureLevel'
    value: number
  }

  export function encode (obj: Partial<Presence>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Presence.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Presence>): Presence {
    return decodeMessage(buf, Presence.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Presence>): Generator<PresenceStateFieldEvent | PresencePeerFieldEvent | PresenceNameFieldEvent | PresenceLastSeenFieldEvent | PresenceStayingFieldEvent | PresenceStatusFieldEvent | PresenceStatusUntilFieldEvent | PresenceAppVersionFieldEvent | PresenceFeatureLevelFieldEvent> {
    return streamMessage(buf, Presence.codec(), opts)
  }
}

export interface PresenceNews {
  claim: Uint8Array<ArrayBuffer>
  sig: Uint8Array<ArrayBuffer>
}

export namespace PresenceNews {
  let _codec: Codec<PresenceNews>

  export const codec = (): Codec<PresenceNews> => {
    if (_codec == null) {
      _codec = message<PresenceNews>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.claim != null && obj.claim.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.claim)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          claim: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.claim = reader.bytes()
              break
            }
            case 2: {
              obj.sig = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.claim`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PresenceNewsClaimFieldEvent {
    field: '$.claim'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PresenceNewsSigFieldEvent {
    field: '$.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PresenceNews>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PresenceNews.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceNews>): PresenceNews {
    return decodeMessage(buf, PresenceNews.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceNews>): Generator<PresenceNewsClaimFieldEvent | PresenceNewsSigFieldEvent> {
    return streamMessage(buf, PresenceNews.codec(), opts)
  }
}

export interface PresenceClaim {
  peer: string
  name: string
  state: number
  at: number
  status: string
  statusUntil: number
  lost: PresenceLoss[]
  appVersion: string
  featureLevel: number
}

export namespace PresenceClaim {
  let _codec: Codec<PresenceClaim>

  export const codec = (): Codec<PresenceClaim> => {
    if (_codec == null) {
      _codec = message<PresenceClaim>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(10)
          w.string(obj.peer)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.state != null && obj.state !== 0)) {
          w.uint32(24)
          w.uint32(obj.state)
        }

        if ((obj.at != null && obj.at !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.at)
        }

        if ((obj.status != null && obj.status !== '')) {
          w.uint32(42)
          w.string(obj.status)
        }

        if ((obj.statusUntil != null && obj.statusUntil !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.statusUntil)
        }

        if (obj.lost != null && obj.lost.length > 0) {
          for (const value of obj.lost) {
            w.uint32(58)
            PresenceLoss.codec().encode(value, w)
          }
        }

        if ((obj.appVersion != null && obj.appVersion !== '')) {
          w.uint32(66)
          w.string(obj.appVersion)
        }

        if ((obj.featureLevel != null && obj.featureLevel !== 0)) {
          w.uint32(72)
          w.uint32(obj.featureLevel)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: '',
          name: '',
          state: 0,
          at: 0,
          status: '',
          statusUntil: 0,
          lost: [],
          appVersion: '',
          featureLevel: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.string()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.state = reader.uint32()
              break
            }
            case 4: {
              obj.at = reader.uint64Number()
              break
            }
            case 5: {
              obj.status = reader.string()
              break
            }
            case 6: {
              obj.statusUntil = reader.uint64Number()
              break
            }
            case 7: {
              if (opts.limits?.lost != null && obj.lost.length === opts.limits.lost) {
                throw new MaxLengthError('Decode error - repeated field "lost" had too many elements')
              }

              obj.lost.push(PresenceLoss.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lost$
              }))
              break
            }
            case 8: {
              obj.appVersion = reader.string()
              break
            }
            case 9: {
              obj.featureLevel = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          lost: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peer`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.state`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.at`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.status`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.statusUntil`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              if (opts.limits?.lost != null && obj.lost === opts.limits.lost) {
                throw new MaxLengthError('Streaming decode error - repeated field "lost" had too many elements')
              }

              for (const evt of PresenceLoss.codec().stream(reader, reader.uint32(), `${prefix}.lost[]`, {
                limits: opts.limits?.lost$
              })) {
                yield {
                  ...evt,
                  index: obj.lost
                }
              }

              obj.lost++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.appVersion`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.featureLevel`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PresenceClaimPeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface PresenceClaimNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface PresenceClaimStateFieldEvent {
    field: '$.state'
    value: number
  }

  export interface PresenceClaimAtFieldEvent {
    field: '$.at'
    value: number
  }

  export interface PresenceClaimStatusFieldEvent {
    field: '$.status'
    value: string
  }

  export interface PresenceClaimStatusUntilFieldEvent {
    field: '$.statusUntil'
    value: number
  }

  export interface PresenceClaimLostPeerFieldEvent {
    field: '$.lost[].peer'
    value: string
    index: number
  }

  export interface PresenceClaimLostAtFieldEvent {
    field: '$.lost[].at'
    value: number
    index: number
  }

  export interface PresenceClaimLostSeenFieldEvent {
    field: '$.lost[].seen'
    value: number
    index: number
  }

  export interface PresenceClaimAppVersionFieldEvent {
    field: '$.appVersion'
    value: string
  }

  export interface PresenceClaimFeatureLevelFieldEvent {
    field: '$.featureLevel'
    value: number
  }

  export function encode (obj: Partial<PresenceClaim>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PresenceClaim.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceClaim>): PresenceClaim {
    return decodeMessage(buf, PresenceClaim.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceClaim>): Generator<PresenceClaimPeerFieldEvent | PresenceClaimNameFieldEvent | PresenceClaimStateFieldEvent | PresenceClaimAtFieldEvent | PresenceClaimStatusFieldEvent | PresenceClaimStatusUntilFieldEvent | PresenceClaimLostPeerFieldEvent | PresenceClaimLostAtFieldEvent | PresenceClaimLostSeenFieldEvent | PresenceClaimAppVersionFieldEvent | PresenceClaimFeatureLevelFieldEvent> {
    return streamMessage(buf, PresenceClaim.codec(), opts)
  }
}

export interface PresenceLoss {
  peer: string
  at: number
  seen: number
}

export namespace PresenceLoss {
  let _codec: Codec<PresenceLoss>

  export const codec = (): Codec<PresenceLoss> => {
    if (_codec == null) {
      _codec = message<PresenceLoss>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(10)
          w.string(obj.peer)
        }

        if ((obj.at != null && obj.at !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.at)
        }

        if ((obj.seen != null && obj.seen !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.seen)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: '',
          at: 0,
          seen: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.string()
              break
            }
            case 2: {
              obj.at = reader.uint64Number()
              break
            }
            case 3: {
              obj.seen = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peer`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.at`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.seen`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PresenceLossPeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface PresenceLossAtFieldEvent {
    field: '$.at'
    value: number
  }

  export interface PresenceLossSeenFieldEvent {
    field: '$.seen'
    value: number
  }

  export function encode (obj: Partial<PresenceLoss>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PresenceLoss.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceLoss>): PresenceLoss {
    return decodeMessage(buf, PresenceLoss.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PresenceLoss>): Generator<PresenceLossPeerFieldEvent | PresenceLossAtFieldEvent | PresenceLossSeenFieldEvent> {
    return streamMessage(buf, PresenceLoss.codec(), opts)
  }
}

export interface SignedReceipts {
  batch: Uint8Array<ArrayBuffer>
  sig: Uint8Array<ArrayBuffer>
}

export namespace SignedReceipts {
  let _codec: Codec<SignedReceipts>

  export const codec = (): Codec<SignedReceipts> => {
    if (_codec == null) {
      _codec = message<SignedReceipts>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.batch != null && obj.batch.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.batch)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          batch: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.batch = reader.bytes()
              break
            }
            case 2: {
              obj.sig = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.batch`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedReceiptsBatchFieldEvent {
    field: '$.batch'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedReceiptsSigFieldEvent {
    field: '$.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedReceipts>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedReceipts.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipts>): SignedReceipts {
    return decodeMessage(buf, SignedReceipts.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipts>): Generator<SignedReceiptsBatchFieldEvent | SignedReceiptsSigFieldEvent> {
    return streamMessage(buf, SignedReceipts.codec(), opts)
  }
}

export interface ReceiptBatch {
  by: string
  receipts: Receipt[]
}

export namespace ReceiptBatch {
  let _codec: Codec<ReceiptBatch>

  export const codec = (): Codec<ReceiptBatch> => {
    if (_codec == null) {
      _codec = message<ReceiptBatch>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.by != null && obj.by !== '')) {
          w.uint32(10)
          w.string(obj.by)
        }

        if (obj.receipts != null && obj.receipts.length > 0) {
          for (const value of obj.receipts) {
            w.uint32(18)
            Receipt.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          by: '',
          receipts: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.by = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.receipts != null && obj.receipts.length === opts.limits.receipts) {
                throw new MaxLengthError('Decode error - repeated field "receipts" had too many elements')
              }

              obj.receipts.push(Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipts$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          receipts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.by`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.receipts != null && obj.receipts === opts.limits.receipts) {
                throw new MaxLengthError('Streaming decode error - repeated field "receipts" had too many elements')
              }

              for (const evt of Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipts[]`, {
                limits: opts.limits?.receipts$
              })) {
                yield {
                  ...evt,
                  index: obj.receipts
                }
              }

              obj.receipts++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReceiptBatchByFieldEvent {
    field: '$.by'
    value: string
  }

  export interface ReceiptBatchReceiptsIdFieldEvent {
    field: '$.receipts[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ReceiptBatchReceiptsByFieldEvent {
    field: '$.receipts[].by'
    value: string
    index: number
  }

  export interface ReceiptBatchReceiptsLamportFieldEvent {
    field: '$.receipts[].lamport'
    value: number
    index: number
  }

  export interface ReceiptBatchReceiptsAtFieldEvent {
    field: '$.receipts[].at'
    value: number
    index: number
  }

  export function encode (obj: Partial<ReceiptBatch>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReceiptBatch.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiptBatch>): ReceiptBatch {
    return decodeMessage(buf, ReceiptBatch.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiptBatch>): Generator<ReceiptBatchByFieldEvent | ReceiptBatchReceiptsIdFieldEvent | ReceiptBatchReceiptsByFieldEvent | ReceiptBatchReceiptsLamportFieldEvent | ReceiptBatchReceiptsAtFieldEvent> {
    return streamMessage(buf, ReceiptBatch.codec(), opts)
  }
}

export interface Receipt {
  id: Uint8Array<ArrayBuffer>
  by: string
  lamport: number
  at: number
}

export namespace Receipt {
  let _codec: Codec<Receipt>

  export const codec = (): Codec<Receipt> => {
    if (_codec == null) {
      _codec = message<Receipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.by != null && obj.by !== '')) {
          w.uint32(18)
          w.string(obj.by)
        }

        if ((obj.lamport != null && obj.lamport !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.lamport)
        }

        if ((obj.at != null && obj.at !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.at)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          by: '',
          lamport: 0,
          at: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.by = reader.string()
              break
            }
            case 3: {
              obj.lamport = reader.uint64Number()
              break
            }
            case 4: {
              obj.at = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.by`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lamport`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.at`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReceiptIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReceiptByFieldEvent {
    field: '$.by'
    value: string
  }

  export interface ReceiptLamportFieldEvent {
    field: '$.lamport'
    value: number
  }

  export interface ReceiptAtFieldEvent {
    field: '$.at'
    value: number
  }

  export function encode (obj: Partial<Receipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Receipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
    return decodeMessage(buf, Receipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptIdFieldEvent | ReceiptByFieldEvent | ReceiptLamportFieldEvent | ReceiptAtFieldEvent> {
    return streamMessage(buf, Receipt.codec(), opts)
  }
}

export interface SignedSummary {
  summary: Uint8Array<ArrayBuffer>
  sig: Uint8Array<ArrayBuffer>
}

export namespace SignedSummary {
  let _codec: Codec<SignedSummary>

  export const codec = (): Codec<SignedSummary> => {
    if (_codec == null) {
      _codec = message<SignedSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.summary != null && obj.summary.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.summary)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          summary: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.summary = reader.bytes()
              break
            }
            case 2: {
              obj.sig = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.summary`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedSummarySummaryFieldEvent {
    field: '$.summary'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedSummarySigFieldEvent {
    field: '$.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedSummary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedSummary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedSummary>): SignedSummary {
    return decodeMessage(buf, SignedSummary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedSummary>): Generator<SignedSummarySummaryFieldEvent | SignedSummarySigFieldEvent> {
    return streamMessage(buf, SignedSummary.codec(), opts)
  }
}

export interface DeliverySummary {
  by: string
  serial: number
  ids: Uint8Array<ArrayBuffer>
  times: Uint8Array<ArrayBuffer>
}

export namespace DeliverySummary {
  let _codec: Codec<DeliverySummary>

  export const codec = (): Codec<DeliverySummary> => {
    if (_codec == null) {
      _codec = message<DeliverySummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.by != null && obj.by !== '')) {
          w.uint32(10)
          w.string(obj.by)
        }

        if ((obj.serial != null && obj.serial !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.serial)
        }

        if ((obj.ids != null && obj.ids.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ids)
        }

        if ((obj.times != null && obj.times.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.times)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          by: '',
          serial: 0,
          ids: uint8ArrayAlloc(0),
          times: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.by = reader.string()
              break
            }
            case 2: {
              obj.serial = reader.uint64Number()
              break
            }
            case 3: {
              obj.ids = reader.bytes()
              break
            }
            case 4: {
              obj.times = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.by`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.serial`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ids`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.times`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeliverySummaryByFieldEvent {
    field: '$.by'
    value: string
  }

  export interface DeliverySummarySerialFieldEvent {
    field: '$.serial'
    value: number
  }

  export interface DeliverySummaryIdsFieldEvent {
    field: '$.ids'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeliverySummaryTimesFieldEvent {
    field: '$.times'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DeliverySummary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeliverySummary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverySummary>): DeliverySummary {
    return decodeMessage(buf, DeliverySummary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverySummary>): Generator<DeliverySummaryByFieldEvent | DeliverySummarySerialFieldEvent | DeliverySummaryIdsFieldEvent | DeliverySummaryTimesFieldEvent> {
    return streamMessage(buf, DeliverySummary.codec(), opts)
  }
}

export interface Hello {
  name: string
  version: number
  appVersion: string
  featureLevel: number
}

export namespace Hello {
  let _codec: Codec<Hello>

  export const codec = (): Codec<Hello> => {
    if (_codec == null) {
      _codec = message<Hello>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(16)
          w.uint32(obj.version)
        }

        if ((obj.appVersion != null && obj.appVersion !== '')) {
          w.uint32(26)
          w.string(obj.appVersion)
        }

        if ((obj.featureLevel != null && obj.featureLevel !== 0)) {
          w.uint32(32)
          w.uint32(obj.featureLevel)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          version: 0,
          appVersion: '',
          featureLevel: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.version = reader.uint32()
              break
            }
            case 3: {
              obj.appVersion = reader.string()
              break
            }
            case 4: {
              obj.featureLevel = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.appVersion`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.featureLevel`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HelloNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface HelloVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface HelloAppVersionFieldEvent {
    field: '$.appVersion'
    value: string
  }

  export interface HelloFeatureLevelFieldEvent {
    field: '$.featureLevel'
    value: number
  }

  export function encode (obj: Partial<Hello>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Hello.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hello>): Hello {
    return decodeMessage(buf, Hello.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hello>): Generator<HelloNameFieldEvent | HelloVersionFieldEvent | HelloAppVersionFieldEvent | HelloFeatureLevelFieldEvent> {
    return streamMessage(buf, Hello.codec(), opts)
  }
}

export interface SyncRequest {
  vector: VectorEntry[]
  digest: Uint8Array<ArrayBuffer>
  series: number
  part: number
  parts: number
  buckets: Uint8Array<ArrayBuffer>
  scope: Uint8Array<ArrayBuffer>
}

export namespace SyncRequest {
  let _codec: Codec<SyncRequest>

  export const codec = (): Codec<SyncRequest> => {
    if (_codec == null) {
      _codec = message<SyncRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.vector != null && obj.vector.length > 0) {
          for (const value of obj.vector) {
            w.uint32(10)
            VectorEntry.codec().encode(value, w)
          }
        }

        if ((obj.digest != null && obj.digest.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.digest)
        }

        if ((obj.series != null && obj.series !== 0)) {
          w.uint32(24)
          w.uint32(obj.series)
        }

        if ((obj.part != null && obj.part !== 0)) {
          w.uint32(32)
          w.uint32(obj.part)
        }

        if ((obj.parts != null && obj.parts !== 0)) {
          w.uint32(40)
          w.uint32(obj.parts)
        }

        if ((obj.buckets != null && obj.buckets.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.buckets)
        }

        if ((obj.scope != null && obj.scope.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.scope)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          vector: [],
          digest: uint8ArrayAlloc(0),
          series: 0,
          part: 0,
          parts: 0,
          buckets: uint8ArrayAlloc(0),
          scope: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.vector != null && obj.vector.length === opts.limits.vector) {
                throw new MaxLengthError('Decode error - repeated field "vector" had too many elements')
              }

              obj.vector.push(VectorEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.vector$
              }))
              break
            }
            case 2: {
              obj.digest = reader.bytes()
              break
            }
            case 3: {
              obj.series = reader.uint32()
              break
            }
            case 4: {
              obj.part = reader.uint32()
              break
            }
            case 5: {
              obj.parts = reader.uint32()
              break
            }
            case 6: {
              obj.buckets = reader.bytes()
              break
            }
            case 7: {
              obj.scope = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          vector: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.vector != null && obj.vector === opts.limits.vector) {
                throw new MaxLengthError('Streaming decode error - repeated field "vector" had too many elements')
              }

              for (const evt of VectorEntry.codec().stream(reader, reader.uint32(), `${prefix}.vector[]`, {
                limits: opts.limits?.vector$
              })) {
                yield {
                  ...evt,
                  index: obj.vector
                }
              }

              obj.vector++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.digest`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.series`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.part`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.parts`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.buckets`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.scope`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SyncRequestVectorAuthorFieldEvent {
    field: '$.vector[].author'
    value: string
    index: number
  }

  export interface SyncRequestVectorSeqFieldEvent {
    field: '$.vector[].seq'
    value: number
    index: number
  }

  export interface SyncRequestVectorForkFloorFieldEvent {
    field: '$.vector[].forkFloor'
    value: number
    index: number
  }

  export interface SyncRequestVectorForkCountFieldEvent {
    field: '$.vector[].forkCount'
    value: number
    index: number
  }

  export interface SyncRequestVectorForkDigestFieldEvent {
    field: '$.vector[].forkDigest'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncRequestVectorHeadFieldEvent {
    field: '$.vector[].head'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncRequestDigestFieldEvent {
    field: '$.digest'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestSeriesFieldEvent {
    field: '$.series'
    value: number
  }

  export interface SyncRequestPartFieldEvent {
    field: '$.part'
    value: number
  }

  export interface SyncRequestPartsFieldEvent {
    field: '$.parts'
    value: number
  }

  export interface SyncRequestBucketsFieldEvent {
    field: '$.buckets'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestScopeFieldEvent {
    field: '$.scope'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SyncRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): SyncRequest {
    return decodeMessage(buf, SyncRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): Generator<SyncRequestVectorAuthorFieldEvent | SyncRequestVectorSeqFieldEvent | SyncRequestVectorForkFloorFieldEvent | SyncRequestVectorForkCountFieldEvent | SyncRequestVectorForkDigestFieldEvent | SyncRequestVectorHeadFieldEvent | SyncRequestDigestFieldEvent | SyncRequestSeriesFieldEvent | SyncRequestPartFieldEvent | SyncRequestPartsFieldEvent | SyncRequestBucketsFieldEvent | SyncRequestScopeFieldEvent> {
    return streamMessage(buf, SyncRequest.codec(), opts)
  }
}

export interface Want {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace Want {
  let _codec: Codec<Want>

  export const codec = (): Codec<Want> => {
    if (_codec == null) {
      _codec = message<Want>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WantIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Want>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Want.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Want>): Want {
    return decodeMessage(buf, Want.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Want>): Generator<WantIdsFieldEvent> {
    return streamMessage(buf, Want.codec(), opts)
  }
}

export interface Sequenced {
  seq: number
  message?: Envelope
  clockOff: number
}

export namespace Sequenced {
  let _codec: Codec<Sequenced>

  export const codec = (): Codec<Sequenced> => {
    if (_codec == null) {
      _codec = message<Sequenced>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.seq)
        }

        if (obj.message != null) {
          w.uint32(18)
          Envelope.codec().encode(obj.message, w)
        }

        if ((obj.clockOff != null && obj.clockOff !== 0)) {
          w.uint32(24)
          w.sint64Number(obj.clockOff)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0,
          clockOff: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64Number()
              break
            }
            case 2: {
              obj.message = Envelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.message
              })
              break
            }
            case 3: {
              obj.clockOff = reader.sint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield * Envelope.codec().stream(reader, reader.uint32(), `${prefix}.message`, {
                limits: opts.limits?.message
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.clockOff`,
                value: reader.sint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SequencedSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface SequencedMessageBodyFieldEvent {
    field: '$.message.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SequencedMessageSigFieldEvent {
    field: '$.message.sig'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SequencedMessageHopsFieldEvent {
    field: '$.message.hops'
    value: number
  }

  export interface SequencedMessageRedactedFieldEvent {
    field: '$.message.redacted'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SequencedMessageLateFieldEvent {
    field: '$.message.late'
    value: boolean
  }

  export interface SequencedClockOffFieldEvent {
    field: '$.clockOff'
    value: number
  }

  export function encode (obj: Partial<Sequenced>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Sequenced.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Sequenced>): Sequenced {
    return decodeMessage(buf, Sequenced.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Sequenced>): Generator<SequencedSeqFieldEvent | SequencedMessageBodyFieldEvent | SequencedMessageSigFieldEvent | SequencedMessageHopsFieldEvent | SequencedMessageRedactedFieldEvent | SequencedMessageLateFieldEvent | SequencedClockOffFieldEvent> {
    return streamMessage(buf, Sequenced.codec(), opts)
  }
}

export interface HubHello {
  name: string
  version: number
  seq: number
  authorSeq: number
  authorHead: Uint8Array<ArrayBuffer>
  authorLamport: number
  maxFileBytes: number
  appVersion: string
  featureLevel: number
  now: number
  maxLamport?: number
  seqId: Uint8Array<ArrayBuffer>
  fromStart: boolean
}

export namespace HubHello {
  let _codec: Codec<HubHello>

  export const codec = (): Codec<HubHello> => {
    if (_codec == null) {
      _codec = message<HubHello>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(16)
          w.uint32(obj.version)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.seq)
        }

        if ((obj.authorSeq != null && obj.authorSeq !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.authorSeq)
        }

        if ((obj.authorHead != null && obj.authorHead.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.authorHead)
        }

        if ((obj.authorLamport != null && obj.authorLamport !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.authorLamport)
        }

        if ((obj.maxFileBytes != null && obj.maxFileBytes !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.maxFileBytes)
        }

        if ((obj.appVersion != null && obj.appVersion !== '')) {
          w.uint32(66)
          w.string(obj.appVersion)
        }

        if ((obj.featureLevel != null && obj.featureLevel !== 0)) {
          w.uint32(72)
          w.uint32(obj.featureLevel)
        }

        if ((obj.now != null && obj.now !== 0)) {
          w.uint32(80)
          w.uint64Number(obj.now)
        }

        if (obj.maxLamport != null) {
          w.uint32(88)
          w.uint64Number(obj.maxLamport)
        }

        if ((obj.seqId != null && obj.seqId.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.seqId)
        }

        if ((obj.fromStart != null && obj.fromStart !== false)) {
          w.uint32(104)
          w.bool(obj.fromStart)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          version: 0,
          seq: 0,
          authorSeq: 0,
          authorHead: uint8ArrayAlloc(0),
          authorLamport: 0,
          maxFileBytes: 0,
          appVersion: '',
          featureLevel: 0,
          now: 0,
          seqId: uint8ArrayAlloc(0),
          fromStart: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.version = reader.uint32()
              break
            }
            case 3: {
              obj.seq = reader.uint64Number()
              break
            }
            case 4: {
              obj.authorSeq = reader.uint64Number()
              break
            }
            case 5: {
              obj.authorHead = reader.bytes()
              break
            }
            case 6: {
              obj.authorLamport = reader.uint64Number()
              break
            }
            case 7: {
              obj.maxFileBytes = reader.uint64Number()
              break
            }
            case 8: {
              obj.appVersion = reader.string()
              break
            }
            case 9: {
              obj.featureLevel = reader.uint32()
              break
            }
            case 10: {
              obj.now = reader.uint64Number()
              break
            }
            case 11: {
              obj.maxLamport = reader.uint64Number()
              break
            }
            case 12: {
              obj.seqId = reader.bytes()
              break
            }
            case 13: {
              obj.fromStart = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.authorSeq`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.authorHead`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.authorLamport`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.maxFileBytes`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.appVersion`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.featureLevel`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.now`,
                value: reader.uint64Number()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.maxLamport`,
                value: reader.uint64Number()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.seqId`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.fromStart`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HubHelloNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface HubHelloVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface HubHelloSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface HubHelloAuthorSeqFieldEvent {
    field: '$.authorSeq'
    value: number
  }

  export interface HubHelloAuthorHeadFieldEvent {
    field: '$.authorHead'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HubHelloAuthorLamportFieldEvent {
    field: '$.authorLamport'
    value: number
  }

  export interface HubHelloMaxFileBytesFieldEvent {
    field: '$.maxFileBytes'
    value: number
  }

  export interface HubHelloAppVersionFieldEvent {
    field: '$.appVersion'
    value: string
  }

  export interface HubHelloFeatureLevelFieldEvent {
    field: '$.featureLevel'
    value: number
  }

  export interface HubHelloNowFieldEvent {
    field: '$.now'
    value: number
  }

  export interface HubHelloMaxLamportFieldEvent {
    field: '$.maxLamport'
    value: number
  }

  export interface HubHelloSeqIdFieldEvent {
    field: '$.seqId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HubHelloFromStartFieldEvent {
    field: '$.fromStart'
    value: boolean
  }

  export function encode (obj: Partial<HubHello>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HubHello.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HubHello>): HubHello {
    return decodeMessage(buf, HubHello.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HubHello>): Generator<HubHelloNameFieldEvent | HubHelloVersionFieldEvent | HubHelloSeqFieldEvent | HubHelloAuthorSeqFieldEvent | HubHelloAuthorHeadFieldEvent | HubHelloAuthorLamportFieldEvent | HubHelloMaxFileBytesFieldEvent | HubHelloAppVersionFieldEvent | HubHelloFeatureLevelFieldEvent | HubHelloNowFieldEvent | HubHelloMaxLamportFieldEvent | HubHelloSeqIdFieldEvent | HubHelloFromStartFieldEvent> {
    return streamMessage(buf, HubHello.codec(), opts)
  }
}

export interface Rejected {
  id: Uint8Array<ArrayBuffer>
  reason: string
}

export namespace Rejected {
  let _codec: Codec<Rejected>

  export const codec = (): Codec<Rejected> => {
    if (_codec == null) {
      _codec = message<Rejected>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(18)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.reason = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RejectedIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RejectedReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<Rejected>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Rejected.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rejected>): Rejected {
    return decodeMessage(buf, Rejected.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rejected>): Generator<RejectedIdFieldEvent | RejectedReasonFieldEvent> {
    return streamMessage(buf, Rejected.codec(), opts)
  }
}

export interface HubFrame {
  hello?: HubHello
  submit: Envelope[]
  deliver: Sequenced[]
  rejected?: Rejected
  typing?: Typing
  presence?: Presence
}

export namespace HubFrame {
  let _codec: Codec<HubFrame>

  export const codec = (): Codec<HubFrame> => {
    if (_codec == null) {
      _codec = message<HubFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.hello != null) {
          w.uint32(10)
          HubHello.codec().encode(obj.hello, w)
        }

        if (obj.submit != null && obj.submit.length > 0) {
          for (const value of obj.submit) {
            w.uint32(18)
            Envelope.codec().encode(value, w)
          }
        }

        if (obj.deliver != null && obj.deliver.length > 0) {
          for (const value of obj.deliver) {
            w.uint32(26)
            Sequenced.codec().encode(value, w)
          }
        }

        if (obj.rejected != null) {
          w.uint32(34)
          Rejected.codec().encode(obj.rejected, w)
        }

        if (obj.typing != null) {
          w.uint32(42)
          Typing.codec().encode(obj.typing, w)
        }

        if (obj.presence != null) {
          w.uint32(50)
          Presence.codec().encode(obj.presence, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          submit: [],
          deliver: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hello = HubHello.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hello
              })
              break
            }
            case 2: {
              if (opts.limits?.submit != null && obj.submit.length === opts.limits.submit) {
                throw new MaxLengthError('Decode error - repeated field "submit" had too many elements')
              }

              obj.submit.push(Envelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.submit$
              }))
              break
            }
            case 3: {
              if (opts.limits?.deliver != null && obj.deliver.length === opts.limits.deliver) {
                throw new MaxLengthError('Decode error - repeated field "deliver" had too many elements')
              }

              obj.deliver.push(Sequenced.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deliver$
              }))
              break
            }
            case 4: {
              obj.rejected = Rejected.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.rejected
              })
              break
            }
            case 5: {
              obj.typing = Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 6: {
              obj.presence = Presence.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.presence
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          submit: 0,
          deliver: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * HubHello.codec().stream(reader, reader.uint32(), `${prefix}.hello`, {
                limits: opts.limits?.hello
              })

              break
            }
            case 2: {
              if (opts.limits?.submit != null && obj.submit === opts.limits.submit) {
                throw new MaxLengthError('Streaming decode error - repeated field "submit" had too many elements')
              }

              for (const evt of Envelope.codec().stream(reader, reader.uint32(), `${prefix}.submit[]`, {
                limits: opts.limits?.submit$
              })) {
                yield {
                  ...evt,
                  index: obj.submit
                }
              }

              obj.submit++

              break
            }
            case 3: {
              if (opts.limits?.deliver != null && obj.deliver === opts.limits.deliver) {
                throw new MaxLengthError('Streaming decode error - repeated field "deliver" had too many elements')
              }

              for (const evt of Sequenced.codec().stream(reader, reader.uint32(), `${prefix}.deliver[]`, {
                limits: opts.limits?.deliver$
              })) {
                yield {
                  ...evt,
                  index: obj.deliver
                }
              }

              obj.deliver++

              break
            }
            case 4: {
              yield * Rejected.codec().stream(reader, reader.uint32(), `${prefix}.rejected`, {
                limits: opts.limits?.rejected
              })

              break
            }
            case 5: {
              yield * Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 6: {
              yield * Presence.codec().stream(reader, reader.uint32(), `${prefix}.presence`, {
                limits: opts.limits?.presence
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface HubFrameHelloNameFieldEvent {
    field: '$.hello.name'
    value: string
  }

  export interface HubFrameHelloVersionFieldEvent {
    field: '$.hello.version'
    value: number
  }

  export interface HubFrameHelloSeqFieldEvent {
    field: '$.hello.seq'
    value: number
  }

  export interface HubFrameHelloAuthorSeqFieldEvent {
    field: '$.hello.authorSeq'
    value: number
  }

  export interface HubFrameHelloAuthorHeadFieldEvent {
    field: '$.hello.authorHead'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HubFrameHelloAuthorLamportFieldEvent {
    field: '$.hello.authorLamport'
    value: number
  }

  export interface HubFrameHelloMaxFileBytesFieldEvent {
    field: '$.hello.maxFileBytes'
    value: number
  }

  export interface HubFrameHelloAppVersionFieldEvent {
    field: '$.hello.appVersion'
    value: string
  }

  export interface HubFrameHelloFeatureLevelFieldEvent {
    field: '$.hello.featureLevel'
    value: number
  }

  export interface HubFrameHelloNowFieldEvent {
    field: '$.hello.now'
    value: number
  }

  export interface HubFrameHelloMaxLamportFieldEvent {
    field: '$.hello.maxLamport'
    value: number
  }

  export interface HubFrameHelloSeqIdFieldEvent {
    field: '$.hello.seqId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HubFrameHelloFromStartFieldEvent {
    field: '$.hello.fromStart'
    value: boolean
  }

  export interface HubFrameSubmitBodyFieldEvent {
    field: '$.submit[].body'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameSubmitSigFieldEvent {
    field: '$.submit[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameSubmitHopsFieldEvent {
    field: '$.submit[].hops'
    value: number
    index: number
  }

  export interface HubFrameSubmitRedactedFieldEvent {
    field: '$.submit[].redacted'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameSubmitLateFieldEvent {
    field: '$.submit[].late'
    value: boolean
    index: number
  }

  export interface HubFrameDeliverSeqFieldEvent {
    field: '$.deliver[].seq'
    value: number
    index: number
  }

  export interface HubFrameDeliverMessageBodyFieldEvent {
    field: '$.deliver[].message.body'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameDeliverMessageSigFieldEvent {
    field: '$.deliver[].message.sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameDeliverMessageHopsFieldEvent {
    field: '$.deliver[].message.hops'
    value: number
    index: number
  }

  export interface HubFrameDeliverMessageRedactedFieldEvent {
    field: '$.deliver[].message.redacted'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface HubFrameDeliverMessageLateFieldEvent {
    field: '$.deliver[].message.late'
    value: boolean
    index: number
  }

  export interface HubFrameDeliverClockOffFieldEvent {
    field: '$.deliver[].clockOff'
    value: number
    index: number
  }

  export interface HubFrameRejectedIdFieldEvent {
    field: '$.rejected.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface HubFrameRejectedReasonFieldEvent {
    field: '$.rejected.reason'
    value: string
  }

  export interface HubFrameTypingRoomFieldEvent {
    field: '$.typing.room'
    value: string
  }

  export interface HubFrameTypingToFieldEvent {
    field: '$.typing.to'
    value: string
  }

  export interface HubFrameTypingPeerFieldEvent {
    field: '$.typing.peer'
    value: string
  }

  export interface HubFrameTypingNameFieldEvent {
    field: '$.typing.name'
    value: string
  }

  export interface HubFrameTypingAmongFieldEvent {
    field: '$.typing.among[]'
    index: number
    value: string
  }

  export interface HubFramePresenceStateFieldEvent {
    field: '$.presence.state'
    value: Presence.State
  }

  export interface HubFramePresencePeerFieldEvent {
    field: '$.presence.peer'
    value: string
  }

  export interface HubFramePresenceNameFieldEvent {
    field: '$.presence.name'
    value: string
  }

  export interface HubFramePresenceLastSeenFieldEvent {
    field: '$.presence.lastSeen'
    value: number
  }

  export interface HubFramePresenceStayingFieldEvent {
    field: '$.presence.staying'
    value: boolean
  }

  export interface HubFramePresenceStatusFieldEvent {
    field: '$.presence.status'
    value: string
  }

  export interface HubFramePresenceStatusUntilFieldEvent {
    field: '$.presence.statusUntil'
    value: number
  }

  export interface HubFramePresenceAppVersionFieldEvent {
    field: '$.presence.appVersion'
    value: string
  }

  export interface HubFramePresenceFeatureLevelFieldEvent {
    field: '$.presence.featureLevel'
    value: number
  }

  export function encode (obj: Partial<HubFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HubFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HubFrame>): HubFrame {
    return decodeMessage(buf, HubFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HubFrame>): Generator<HubFrameHelloNameFieldEvent | HubFrameHelloVersionFieldEvent | HubFrameHelloSeqFieldEvent | HubFrameHelloAuthorSeqFieldEvent | HubFrameHelloAuthorHeadFieldEvent | HubFrameHelloAuthorLamportFieldEvent | HubFrameHelloMaxFileBytesFieldEvent | HubFrameHelloAppVersionFieldEvent | HubFrameHelloFeatureLevelFieldEvent | HubFrameHelloNowFieldEvent | HubFrameHelloMaxLamportFieldEvent | HubFrameHelloSeqIdFieldEvent | HubFrameHelloFromStartFieldEvent | HubFrameSubmitBodyFieldEvent | HubFrameSubmitSigFieldEvent | HubFrameSubmitHopsFieldEvent | HubFrameSubmitRedactedFieldEvent | HubFrameSubmitLateFieldEvent | HubFrameDeliverSeqFieldEvent | HubFrameDeliverMessageBodyFieldEvent | HubFrameDeliverMessageSigFieldEvent | HubFrameDeliverMessageHopsFieldEvent | HubFrameDeliverMessageRedactedFieldEvent | HubFrameDeliverMessageLateFieldEvent | HubFrameDeliverClockOffFieldEvent | HubFrameRejectedIdFieldEvent | HubFrameRejectedReasonFieldEvent | HubFrameTypingRoomFieldEvent | HubFrameTypingToFieldEvent | HubFrameTypingPeerFieldEvent | HubFrameTypingNameFieldEvent | HubFrameTypingAmongFieldEvent | HubFramePresenceStateFieldEvent | HubFramePresencePeerFieldEvent | HubFramePresenceNameFieldEvent | HubFramePresenceLastSeenFieldEvent | HubFramePresenceStayingFieldEvent | HubFramePresenceStatusFieldEvent | HubFramePresenceStatusUntilFieldEvent | HubFramePresenceAppVersionFieldEvent | HubFramePresenceFeatureLevelFieldEvent> {
    return streamMessage(buf, HubFrame.codec(), opts)
  }
}
