import { DatabaseSync } from 'node:sqlite'
const db = new DatabaseSync('/tmp/m1/lanchat.db')
const q = process.argv[2] ?? '"kalo"*'
for (const order of ['m.n DESC', 'messages_fts.rowid DESC']) {
  const sql = `SELECT m.room, m.id, snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet
      FROM messages_fts JOIN messages m ON m.n = messages_fts.rowid
      WHERE messages_fts MATCH ? AND m.scope = ? AND m.hub = ? AND m.pending = 0 AND (? IS NULL OR m.room = ?)
      ORDER BY ${order} LIMIT ?`
  console.log(db.prepare('EXPLAIN QUERY PLAN ' + sql).all(q, 'p2p', '', null, null, 20).map((r: any) => r.detail).join(' / '))
  for (let i = 0; i < 2; i++) { const t = performance.now(); const n = db.prepare(sql).all(q, 'p2p', '', null, null, 20).length; console.log(order, n, (performance.now() - t).toFixed(1), 'ms') }
}
