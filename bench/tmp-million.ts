import { existsSync, mkdirSync } from 'node:fs'
import { writeDirectory, queries } from './million.js'
const dir = '/tmp/m1'
if (!existsSync(dir + '/lanchat.db')) { mkdirSync(dir, { recursive: true }); await writeDirectory(dir, 1_000_000, console.log) }
console.log(queries(100).join(','))
