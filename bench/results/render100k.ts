import { measureRender } from '../render.js'
console.log(await measureRender(process.argv[2]!, 'bench', 100000, 2, 2000, l => console.error(l)))
process.exit(0)
