/** The shape of bucketed sync on the wire (main/chat/sync-buckets.ts uses it): 256 buckets, 8 bytes of digest each. */
export const BUCKETS = 256
export const BUCKET_DIGEST_BYTES = 8
