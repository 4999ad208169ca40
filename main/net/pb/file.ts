import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface FileRequest {
  file: Uint8Array<ArrayBuffer>
  hashes: boolean
  chunks: number[]
  pieces: Piece[]
}

export namespace FileRequest {
  let _codec: Codec<FileRequest>

  export const codec = (): Codec<FileRequest> => {
    if (_codec == null) {
      _codec = message<FileRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.file != null && obj.file.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.file)
        }

        if ((obj.hashes != null && obj.hashes !== false)) {
          w.uint32(16)
          w.bool(obj.hashes)
        }

        if (obj.chunks != null && obj.chunks.length > 0) {
          for (const value of obj.chunks) {
            w.uint32(24)
            w.uint32(value)
          }
        }

        if (obj.pieces != null && obj.pieces.length > 0) {
          for (const value of obj.pieces) {
            w.uint32(34)
            Piece.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          file: uint8ArrayAlloc(0),
          hashes: false,
          chunks: [],
          pieces: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.file = reader.bytes()
              break
            }
            case 2: {
              obj.hashes = reader.bool()
              break
            }
            case 3: {
              if (opts.limits?.chunks != null && obj.chunks.length === opts.limits.chunks) {
                throw new MaxLengthError('Decode error - repeated field "chunks" had too many elements')
              }

              obj.chunks.push(reader.uint32())
              break
            }
            case 4: {
              if (opts.limits?.pieces != null && obj.pieces.length === opts.limits.pieces) {
                throw new MaxLengthError('Decode error - repeated field "pieces" had too many elements')
              }

              obj.pieces.push(Piece.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pieces$
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
          chunks: 0,
          pieces: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.file`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hashes`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              if (opts.limits?.chunks != null && obj.chunks === opts.limits.chunks) {
                throw new MaxLengthError('Streaming decode error - repeated field "chunks" had too many elements')
              }

              yield {
                field: `${prefix}.chunks[]`,
                index: obj.chunks,
                value: reader.uint32()
              }

              obj.chunks++

              break
            }
            case 4: {
              if (opts.limits?.pieces != null && obj.pieces === opts.limits.pieces) {
                throw new MaxLengthError('Streaming decode error - repeated field "pieces" had too many elements')
              }

              for (const evt of Piece.codec().stream(reader, reader.uint32(), `${prefix}.pieces[]`, {
                limits: opts.limits?.pieces$
              })) {
                yield {
                  ...evt,
                  index: obj.pieces
                }
              }

              obj.pieces++

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

  export interface FileRequestFileFieldEvent {
    field: '$.file'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileRequestHashesFieldEvent {
    field: '$.hashes'
    value: boolean
  }

  export interface FileRequestChunksFieldEvent {
    field: '$.chunks[]'
    index: number
    value: number
  }

  export interface FileRequestPiecesIndexFieldEvent {
    field: '$.pieces[].index'
    value: number
    index: number
  }

  export interface FileRequestPiecesOffsetFieldEvent {
    field: '$.pieces[].offset'
    value: number
    index: number
  }

  export interface FileRequestPiecesLengthFieldEvent {
    field: '$.pieces[].length'
    value: number
    index: number
  }

  export function encode (obj: Partial<FileRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileRequest>): FileRequest {
    return decodeMessage(buf, FileRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileRequest>): Generator<FileRequestFileFieldEvent | FileRequestHashesFieldEvent | FileRequestChunksFieldEvent | FileRequestPiecesIndexFieldEvent | FileRequestPiecesOffsetFieldEvent | FileRequestPiecesLengthFieldEvent> {
    return streamMessage(buf, FileRequest.codec(), opts)
  }
}

export interface Piece {
  index: number
  offset: number
  length: number
}

export namespace Piece {
  let _codec: Codec<Piece>

  export const codec = (): Codec<Piece> => {
    if (_codec == null) {
      _codec = message<Piece>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.offset != null && obj.offset !== 0)) {
          w.uint32(16)
          w.uint32(obj.offset)
        }

        if ((obj.length != null && obj.length !== 0)) {
          w.uint32(24)
          w.uint32(obj.length)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          offset: 0,
          length: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.offset = reader.uint32()
              break
            }
            case 3: {
              obj.length = reader.uint32()
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
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.length`,
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

  export interface PieceIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface PieceOffsetFieldEvent {
    field: '$.offset'
    value: number
  }

  export interface PieceLengthFieldEvent {
    field: '$.length'
    value: number
  }

  export function encode (obj: Partial<Piece>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Piece.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Piece>): Piece {
    return decodeMessage(buf, Piece.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Piece>): Generator<PieceIndexFieldEvent | PieceOffsetFieldEvent | PieceLengthFieldEvent> {
    return streamMessage(buf, Piece.codec(), opts)
  }
}

export interface FileResponse {
  status: FileResponse.Status
  hashes: Uint8Array<ArrayBuffer>[]
  index: number
  data: Uint8Array<ArrayBuffer>
  reason: string
  offset: number
  busy: number
}

export namespace FileResponse {
  export enum Status {
    OK = 'OK',
    NOT_FOUND = 'NOT_FOUND',
    BUSY = 'BUSY',
    FAILED = 'FAILED'
  }

  enum __StatusValues {
    OK = 0,
    NOT_FOUND = 1,
    BUSY = 2,
    FAILED = 3
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<FileResponse>

  export const codec = (): Codec<FileResponse> => {
    if (_codec == null) {
      _codec = message<FileResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          FileResponse.Status.codec().encode(obj.status, w)
        }

        if (obj.hashes != null && obj.hashes.length > 0) {
          for (const value of obj.hashes) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(24)
          w.uint32(obj.index)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.data)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(42)
          w.string(obj.reason)
        }

        if ((obj.offset != null && obj.offset !== 0)) {
          w.uint32(48)
          w.uint32(obj.offset)
        }

        if ((obj.busy != null && obj.busy !== 0)) {
          w.uint32(56)
          w.uint32(obj.busy)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.OK,
          hashes: [],
          index: 0,
          data: uint8ArrayAlloc(0),
          reason: '',
          offset: 0,
          busy: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = FileResponse.Status.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.hashes != null && obj.hashes.length === opts.limits.hashes) {
                throw new MaxLengthError('Decode error - repeated field "hashes" had too many elements')
              }

              obj.hashes.push(reader.bytes())
              break
            }
            case 3: {
              obj.index = reader.uint32()
              break
            }
            case 4: {
              obj.data = reader.bytes()
              break
            }
            case 5: {
              obj.reason = reader.string()
              break
            }
            case 6: {
              obj.offset = reader.uint32()
              break
            }
            case 7: {
              obj.busy = reader.uint32()
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
          hashes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: FileResponse.Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.hashes != null && obj.hashes === opts.limits.hashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "hashes" had too many elements')
              }

              yield {
                field: `${prefix}.hashes[]`,
                index: obj.hashes,
                value: reader.bytes()
              }

              obj.hashes++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.busy`,
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

  export interface FileResponseStatusFieldEvent {
    field: '$.status'
    value: FileResponse.Status
  }

  export interface FileResponseHashesFieldEvent {
    field: '$.hashes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileResponseIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface FileResponseDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileResponseReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface FileResponseOffsetFieldEvent {
    field: '$.offset'
    value: number
  }

  export interface FileResponseBusyFieldEvent {
    field: '$.busy'
    value: number
  }

  export function encode (obj: Partial<FileResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileResponse>): FileResponse {
    return decodeMessage(buf, FileResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileResponse>): Generator<FileResponseStatusFieldEvent | FileResponseHashesFieldEvent | FileResponseIndexFieldEvent | FileResponseDataFieldEvent | FileResponseReasonFieldEvent | FileResponseOffsetFieldEvent | FileResponseBusyFieldEvent> {
    return streamMessage(buf, FileResponse.codec(), opts)
  }
}
