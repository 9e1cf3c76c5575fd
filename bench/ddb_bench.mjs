// `strata serve`'s DolphinDB port measured through DolphinDB's own JavaScript client (npm
// `dolphindb`, over WebSocket), on a fresh data directory (bench/README.md, "ddb_bench.sh"):
//   1. round trip of `1+1`: 2,000 sequential execute calls after 200 warm-up ones; p50, p99,
//      mean (target p50 < 1 ms);
//   2. download of a 1,000,000-row table (INT, DOUBLE, DATE, SYMBOL) built once in the session:
//      `eval('t')` (bytes to DdbObj, the client's decode included) and `execute('t')` (also to
//      JS row objects); median of 3, rows/s (target >= 2 M rows/s); building t is timed apart;
//   3. upload of a 1,000,000-row table built client-side with DdbTable and typed vectors:
//      `upload(['up'], [table])`, median of 3, rows/s (target >= 2 M rows/s); building the
//      DdbTable is not timed, its serialization inside upload is;
//   4. server VmRSS before and with 200 idle clients (connected, logged in), on a server of its
//      own so the tables of 2 and 3 are not in it (target <= 100 MB with them).
// Usage: node ddb_bench.mjs STRATA [--repeats N]   (bench/ddb_bench.sh runs it)
import { StrataServer, scratchDir } from '../tests/ddb/strata_server.mjs' // first: its polyfill
import { createRequire } from 'node:module'
import { readFileSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
// The client is installed for the tests (tests/ddb/install.sh), not for bench/.
const requireFromTests = createRequire(join(here, '..', 'tests', 'ddb', 'package.json'))
const {
  DDB, DdbTable, DdbVectorInt, DdbVectorDouble, DdbVectorDate, DdbVectorSymbol
} = await import(pathToFileURL(requireFromTests.resolve('dolphindb')).href)

const args = process.argv.slice(2)
const strata = args[0]
if (!strata) {
  console.error('usage: node ddb_bench.mjs STRATA [--repeats N]')
  process.exit(2)
}
const repeatsAt = args.indexOf('--repeats')
const repeats = repeatsAt > 0 ? Number(args[repeatsAt + 1]) : 3
const rows = 1_000_000
const idleClients = 200

const nowMs = () => Number(process.hrtime.bigint()) / 1e6
const load = () => loadavg().map(x => x.toFixed(2)).join(' ')
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
const fmt = (x, digits = 2) => x.toFixed(digits)
const mrows = ms => fmt(rows / (ms / 1000) / 1e6)
const gc = () => globalThis.gc?.()

function rssMiB (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = name => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1])
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 }
}

async function withServer (name, body) {
  const scratch = scratchDir(`strata-ddb-bench-${name}-`)
  const server = new StrataServer(strata, join(scratch, 'data'))
  await server.start()
  try {
    return await body(server)
  } finally {
    const status = await server.stop()
    if (status !== 0) console.error(`strata serve exited ${status}:\n${server.log()}`)
    server.cleanUp()
    rmSync(scratch, { recursive: true, force: true })
  }
}

// The client logs each connect and close with console.log ("ws://... connected"): with 200
// clients, 400 lines of nothing.
async function quietly (body) {
  const log = console.log
  console.log = () => {}
  try {
    return await body()
  } finally {
    console.log = log
  }
}

async function disconnect (clients) {
  await quietly(async () => {
    clients.forEach(c => c.disconnect())
    await new Promise(resolve => setTimeout(resolve, 500))
  })
}

function client (server) {
  return new DDB(server.url, { username: 'admin', password: '123456' })
}

async function roundTrip (ddb) {
  for (let i = 0; i < 200; i++) await ddb.execute('1+1')
  const times = []
  for (let i = 0; i < 2000; i++) {
    const t0 = nowMs()
    const two = await ddb.execute('1+1')
    times.push(nowMs() - t0)
    if (two !== 2) throw new Error(`1+1 gave ${two}`)
  }
  const sorted = [...times].sort((a, b) => a - b)
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: times.reduce((s, t) => s + t, 0) / times.length
  }
}

async function download (ddb) {
  let t0 = nowMs()
  await ddb.execute(`t = table(1..${rows} as id, rand(100.0, ${rows}) as price, ` +
    `take(2024.01.01..2024.12.31, ${rows}) as day, symbol(take(["A","B","C","D"], ${rows})) as sym)`)
  const buildMs = nowMs() - t0
  const evalMs = []
  const executeMs = []
  for (let r = 0; r < repeats; r++) {
    gc()
    t0 = nowMs()
    const table = await ddb.eval('t')
    evalMs.push(nowMs() - t0)
    if (table.rows !== rows || table.value.length !== 4 || table.value[3].rows !== rows) {
      throw new Error(`eval('t') gave ${table.rows} rows, ${table.value.length} columns`)
    }
    gc()
    t0 = nowMs()
    const rowObjects = await ddb.execute('t')
    executeMs.push(nowMs() - t0)
    if (rowObjects.length !== rows || rowObjects[rows - 1].id !== rows || rowObjects[1].sym !== 'B') {
      throw new Error(`execute('t') gave ${rowObjects.length} rows, the last ${JSON.stringify(rowObjects.at(-1))}`)
    }
  }
  await ddb.execute('t = 0')
  return { buildMs, evalMs, executeMs }
}

function uploadTable () {
  const ids = new Int32Array(rows)
  const prices = new Float64Array(rows)
  const dayValues = Array.from({ length: 366 }, (_, d) => new Date(Date.UTC(2024, 0, 1 + d)))
  const days = new Array(rows)
  const names = ['A', 'B', 'C', 'D']
  const syms = new Array(rows)
  for (let i = 0; i < rows; i++) {
    ids[i] = i + 1
    prices[i] = Math.random() * 100
    days[i] = dayValues[i % 366]
    syms[i] = names[i % 4]
  }
  return new DdbTable([new DdbVectorInt(ids, 'id'), new DdbVectorDouble(prices, 'price'),
    new DdbVectorDate(days, 'day'), new DdbVectorSymbol(syms, 'sym')], 'up')
}

async function upload (ddb) {
  let t0 = nowMs()
  const table = uploadTable()
  const buildMs = nowMs() - t0
  const uploadMs = []
  for (let r = 0; r < repeats; r++) {
    gc()
    t0 = nowMs()
    await ddb.upload(['up'], [table])
    uploadMs.push(nowMs() - t0)
    const check = await ddb.execute(
      'select count(*) as n, sum(long(id)) as s, count(distinct sym) as k from up')
    if (Number(check[0].n) !== rows || Number(check[0].s) !== rows * (rows + 1) / 2 ||
        Number(check[0].k) !== 4) {
      throw new Error(`the uploaded table reads back as ${JSON.stringify(check)}`)
    }
    await ddb.execute('up = 0')
  }
  return { buildMs, uploadMs }
}

async function idleMemory (server) {
  const pid = server.process.pid
  const probe = client(server)
  await quietly(() => probe.connect())
  await probe.execute('1+1')
  await new Promise(resolve => setTimeout(resolve, 500))
  const before = rssMiB(pid)
  const clients = Array.from({ length: idleClients }, () => client(server))
  const t0 = nowMs()
  await quietly(async () => {
    for (let i = 0; i < clients.length; i += 20) {
      await Promise.all(clients.slice(i, i + 20).map(c => c.connect()))
    }
  })
  const connectMs = nowMs() - t0
  await new Promise(resolve => setTimeout(resolve, 2000))
  const during = rssMiB(pid)
  const answers = await Promise.all(clients.map(c => c.execute('1+1')))
  if (answers.some(a => a !== 2)) throw new Error('an idle client does not answer')
  await disconnect([...clients, probe])
  return { before, during, connectMs }
}

console.log(`node ${process.version}, dolphindb ${JSON.parse(readFileSync(
  requireFromTests.resolve('dolphindb/package.json'), 'utf8')).version}, ` +
  `repeats ${repeats}, gc between runs: ${globalThis.gc ? 'yes' : 'no (run node --expose-gc)'}`)

const results = await withServer('main', async server => {
  const ddb = client(server)
  await quietly(() => ddb.connect())
  console.log(`load ${load()} before 1`)
  const trip = await roundTrip(ddb)
  console.log(`1. 1+1 round trip: p50 ${fmt(trip.p50, 3)} ms, p99 ${fmt(trip.p99, 3)} ms, ` +
    `mean ${fmt(trip.mean, 3)} ms (2,000 calls); load ${load()}`)
  const down = await download(ddb)
  console.log(`2. download: building t ${fmt(down.buildMs, 0)} ms (not counted); eval('t') ` +
    `${down.evalMs.map(ms => fmt(ms, 0)).join(', ')} ms; execute('t') ` +
    `${down.executeMs.map(ms => fmt(ms, 0)).join(', ')} ms; load ${load()}`)
  const up = await upload(ddb)
  console.log(`3. upload: building the DdbTable ${fmt(up.buildMs, 0)} ms (not counted); upload ` +
    `${up.uploadMs.map(ms => fmt(ms, 0)).join(', ')} ms; load ${load()}`)
  await disconnect([ddb])
  return { trip, down, up }
})

const memory = await withServer('idle', idleMemory)
console.log(`4. ${idleClients} idle clients (connected in ${fmt(memory.connectMs, 0)} ms, 20 at a ` +
  `time): VmRSS ${fmt(memory.before.rss, 1)} MiB before, ${fmt(memory.during.rss, 1)} MiB with ` +
  `them (VmHWM ${fmt(memory.during.hwm, 1)} MiB); load ${load()}`)

const { trip, down, up } = results
const evalMs = median(down.evalMs)
const executeMs = median(down.executeMs)
const uploadMs = median(up.uploadMs)
const perClientKiB = (memory.during.rss - memory.before.rss) * 1024 / idleClients
const verdict = ok => (ok ? 'met' : 'MISSED')
const table = [
  ['#', 'measured', 'result', 'target', ''],
  ['1', '1+1 round trip, 2,000 calls', `p50 ${fmt(trip.p50, 3)} ms, p99 ${fmt(trip.p99, 3)} ms, ` +
    `mean ${fmt(trip.mean, 3)} ms`, 'p50 < 1 ms', verdict(trip.p50 < 1)],
  ['2', `download ${rows} rows, eval (DdbObj)`, `median ${fmt(evalMs, 0)} ms = ${mrows(evalMs)} M rows/s`,
    '>= 2 M rows/s', verdict(rows / evalMs * 1000 >= 2e6)],
  ['', `download ${rows} rows, execute (JS rows)`,
    `median ${fmt(executeMs, 0)} ms = ${mrows(executeMs)} M rows/s`, '-', ''],
  ['3', `upload ${rows} rows`, `median ${fmt(uploadMs, 0)} ms = ${mrows(uploadMs)} M rows/s`,
    '>= 2 M rows/s', verdict(rows / uploadMs * 1000 >= 2e6)],
  ['4', `server VmRSS, ${idleClients} idle clients`,
    `${fmt(memory.during.rss, 1)} MiB (${fmt(memory.before.rss, 1)} before, ` +
    `${fmt(perClientKiB, 0)} KiB per client)`, '<= 100 MB', verdict(memory.during.rss * 1.048576 <= 100)]
]
const widths = table[0].map((_, c) => Math.max(...table.map(row => row[c].length)))
console.log('')
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd())
console.log(`load ${load()} at the end`)
