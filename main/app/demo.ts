/**
 * The lecture's causal-consistency example, live: three real engines (Sally,
 * James, Henry) start in this process on loopback, connect to each other and
 * to the user's engine, and play the story in #causal-demo. Henry is cut off
 * while Sally corrects herself and James answers the correction; on heal
 * Henry catches up, and causal delivery makes him see "False alarm" before
 * "What a relief!" whatever order the catch-up brings them in.
 *
 * The demo stays inside this app: a fourth engine, "you", stands in for the
 * user in #causal-demo (the views route that room to it), so the user's own
 * engine never meets the three — their messages never reach real peers, they
 * never sync the real lobby, and stopping leaves nothing behind: the four
 * engines end and their temporary folders go.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '../chat/engine.js'
import type { EngineEvent } from '../chat/types.js'
import type { DemoState, DemoStep } from '../../preload/contract.js'

export const DEMO_ROOM = 'causal-demo'
type Name = 'Sally' | 'James' | 'Henry' | 'you'

interface Step extends DemoStep {
  run(d: { sally: Engine; james: Engine; henry: Engine }): Promise<void>
}

const STEPS: Step[] = [
  { title: 'Sally: "Bill is missing!"', explain: 'Everyone, Henry too, delivers it. Bill, at a friend\'s house, sees it and calls his mother.', run: async (d) => void (await d.sally.send(DEMO_ROOM, 'Bill is missing!')) },
  { title: 'Henry is cut off from everyone', explain: 'A partition: Henry\'s engine refuses every connection. The others go on (partial failure).', run: async (d) => d.henry.cut('*') },
  { title: 'Sally: "False alarm, he\'s fine"', explain: 'James and you deliver it; Henry cannot.', run: async (d) => void (await d.sally.send(DEMO_ROOM, 'False alarm, he\'s fine')) },
  { title: 'James: "What a relief!"', explain: 'James had delivered the correction, so it is in the causal past (deps) of his answer: select it in the diagram.', run: async (d) => void (await d.james.send(DEMO_ROOM, 'What a relief!')) },
  { title: 'Henry comes back', explain: 'Catch-up brings him both messages, in whatever order; if James\'s answer comes first, causal delivery holds it back until "False alarm" is there. The list below is the order Henry\'s engine delivered them in.', run: async (d) => d.henry.heal() }
]

export class CausalDemo {
  #engines: Partial<Record<Name, Engine>> = {}
  #dirs: string[] = []
  #done = 0
  #henry: string[] = []
  #running = false

  constructor(
    private readonly changed: (state: DemoState) => void,
    /** Where the stand-in's events in #causal-demo go (the UI shows that room from it). */
    private readonly forward: (event: EngineEvent) => void = () => {}
  ) {}

  /** The engine that stands in for the user in #causal-demo while the demo runs. */
  get you(): Engine | undefined {
    return this.#running ? this.#engines.you : undefined
  }

  state(): DemoState {
    return {
      running: this.#running,
      done: this.#done,
      steps: STEPS.map(({ title, explain }) => ({ title, explain })),
      room: DEMO_ROOM,
      henry: [...this.#henry],
      peers: (Object.entries(this.#engines) as Array<[Name, Engine]>).filter(([name]) => name !== 'you').map(([name, e]) => ({ name, peerId: e.peerId }))
    }
  }

  /** Starts the three engines and the stand-in for the user, all connected to each other on loopback. */
  async start(): Promise<DemoState> {
    if (this.#running) return this.state()
    this.#running = true
    this.#done = 0
    this.#henry = []
    try {
      for (const name of ['you', 'Sally', 'James', 'Henry'] as const) {
        const dir = await mkdtemp(join(tmpdir(), `lanchat-demo-${name.toLowerCase()}-`))
        this.#dirs.push(dir)
        const engine = new Engine({ dataDir: dir, name, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, syncIntervalMs: 1000 })
        await engine.start()
        engine.joinRoom(DEMO_ROOM)
        this.#engines[name] = engine
      }
      const { you, Sally: sally, James: james, Henry: henry } = this.#engines as Record<Name, Engine>
      you.on((e) => { if ((e.type === 'message' && e.room === DEMO_ROOM) || e.type === 'receipt') this.forward(e) })
      henry.on((e) => {
        if (e.type === 'message' && e.room === DEMO_ROOM) {
          this.#henry.push(`${e.name}: ${e.text}`)
          this.changed(this.state())
        }
      })
      await Promise.all([sally, james, henry].map((e) => e.dial(you.addrs()[0]!)))
      await james.dial(sally.addrs()[0]!)
      await henry.dial(james.addrs()[0]!)
      await henry.dial(sally.addrs()[0]!)
    } catch (err) {
      await this.stop()
      throw err
    }
    return this.#changed()
  }

  async next(): Promise<DemoState> {
    const step = STEPS[this.#done]
    if (!this.#running || step === undefined) return this.state()
    const e = this.#engines as Record<Name, Engine>
    await step.run({ sally: e.Sally, james: e.James, henry: e.Henry })
    this.#done++
    return this.#changed()
  }

  async stop(): Promise<DemoState> {
    const engines = Object.values(this.#engines)
    this.#engines = {}
    this.#running = false
    this.#done = 0
    await Promise.all(engines.map((e) => e.stop().catch(() => undefined)))
    await Promise.all(this.#dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
    return this.#changed()
  }

  #changed(): DemoState {
    const state = this.state()
    this.changed(state)
    return state
  }
}
