// Imported into a child `bin/lanchat` (NODE_OPTIONS=--import=…): its wall clock runs
// LANCHAT_TEST_CLOCK_SHIFT_MS off the machine's, as a computer with its clock set wrong
// (a dead clock battery: 1970, or before it). Timers and the monotonic clock are untouched.
const shift = Number(process.env.LANCHAT_TEST_CLOCK_SHIFT_MS ?? 0)
const RealDate = Date
const realNow = RealDate.now.bind(RealDate)
class ShiftedDate extends RealDate {
  constructor (...args) {
    if (args.length === 0) super(realNow() + shift)
    else super(...args)
  }

  static now () { return realNow() + shift }
}
globalThis.Date = ShiftedDate
