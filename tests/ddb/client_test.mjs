// `strata serve`'s DolphinDB port driven by DolphinDB's own JavaScript client (npm `dolphindb`,
// over WebSocket): login, every type as scalar, vector and table with NULLs, invoke and call,
// uploads appended to a partitioned table, print output, errors, backup and restore, and 50
// clients at once. Usage: node client_test.mjs STRATA
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { scratchDir, StrataServer } from './strata_server.mjs'

const {
  DDB, DdbInt, DdbLong, DdbDouble, DdbString, DdbBool, DdbTable, DdbVectorInt, DdbVectorDouble,
  DdbVectorSymbol, DdbVectorString, DdbVectorDate
} = await import('dolphindb')

const strata = process.argv[2]
assert.ok(strata, 'usage: node client_test.mjs STRATA')

const scratch = scratchDir('strata-ddb-client-')
const server = new StrataServer(strata, join(scratch, 'data'))
let ddb

function connect (options = {}) {
  return new DDB(server.url, { username: 'admin', password: '123456', ...options })
}

before(async () => {
  await server.start()
  ddb = connect()
  await ddb.connect()
})

after(async () => {
  ddb?.disconnect()
  const status = await server.stop()
  if (status !== 0) console.error(server.log())
  assert.equal(status, 0, 'strata serve exits 0 on SIGTERM')
  server.cleanUp()
  rmSync(scratch, { recursive: true, force: true })
})

describe('login', () => {
  test('execute after the login inside connect', async () => {
    assert.equal(await ddb.execute('1+1'), 2)
  })

  test('a wrong password and an unknown user are refused with the same text', async () => {
    const texts = []
    for (const [username, password] of [['admin', 'wrong'], ['nobody', '123456']]) {
      const client = connect({ username, password })
      await assert.rejects(client.connect(), error => {
        texts.push(error.message.replace(username, '<user>'))
        return /does not exist or the password is wrong/.test(error.message)
      })
      client.disconnect()
    }
    assert.equal(texts[0], texts[1])
  })

  test('a guest connection logs in with call("login")', async () => {
    const client = connect({ autologin: false })
    await client.connect()
    await assert.rejects(client.execute('getBackupStatus()'), /log ?in/i)
    await client.call('login', ['admin', '123456'])
    assert.ok(Array.isArray(await client.execute('getBackupStatus()')))
    client.disconnect()
  })

  test('an RSA-encrypted login is refused with the way out', async () => {
    await assert.rejects(ddb.execute('getDynamicPublicKey()'), /enableEncryption=False/)
  })

  test('version and isNodeInitialized answer as DolphinDB does', async () => {
    assert.match(await ddb.execute('version()'), /^\d+\.\d+\.\d+ \d{4}\.\d{2}\.\d{2}$/)
    assert.equal(await ddb.execute('isNodeInitialized()'), true)
  })
})

describe('scalars', () => {
  const cases = [
    ['true', true], ['bool(NULL)', null], ['char(97)', 'a'], ['short(-3)', -3], ['short(NULL)', null],
    ['42', 42], ['int(NULL)', null], ['long(9007199254740993)', 9007199254740993n],
    ['long(NULL)', null], ['float(1.5)', 1.5], ['float(NULL)', null], ['-2.25', -2.25],
    ['double(NULL)', null], ['2024.01.15', '2024.01.15'], ['date(NULL)', 'null'],
    ['2024.01M', '2024.01M'], ['13:30:10.008', '13:30:10.008'], ['13:30m', '13:30m'],
    ['13:30:10', '13:30:10'], ['2024.01.15T13:30:10', '2024.01.15 13:30:10'],
    ['2024.01.15T13:30:10.008', '2024.01.15 13:30:10.008'],
    ['13:30:10.008007006', '13:30:10.008007006'],
    ['2024.01.15T13:30:10.008007006', '2024.01.15 13:30:10.008007006'],
    ['timestamp(NULL)', 'null'], ['symbol(["A"])[0]', 'A'], ['"héllo, 世界"', 'héllo, 世界'],
    ['string(NULL)', '']
  ]
  for (const [script, expected] of cases) {
    test(script, async () => {
      assert.deepEqual(await ddb.execute(script), expected)
    })
  }

  test('a statement without a value answers nothing', async () => {
    assert.equal(await ddb.execute('x = 1'), undefined)
  })

  test('the last statement of a script is the answer', async () => {
    assert.equal(await ddb.execute('a = 2\na * 3\na * 5'), 10)
  })
})

describe('vectors, pairs, tuples and dictionaries', () => {
  const cases = [
    ['bool(1 0 NULL)', [true, false, null]],
    ['short(1 NULL)', [1, null]],
    ['1 2 NULL', [1, 2, null]],
    ['long(1 NULL)', [1n, null]],
    ['float(1.5 NULL)', [1.5, null]],
    ['[1.5, NULL, -2.25]', [1.5, null, -2.25]],
    ['date(2024.01.15 NULL)', ['2024.01.15', 'null']],
    ['month(2024.01M NULL)', ['2024.01M', 'null']],
    ['second(13:30:10 NULL)', ['13:30:10', 'null']],
    ['timestamp(2024.01.15T13:30:10.008 NULL)', ['2024.01.15 13:30:10.008', 'null']],
    ['nanotimestamp(2024.01.15T13:30:10.008007006 NULL)', ['2024.01.15 13:30:10.008007006', 'null']],
    ['symbol(["A", "B", "A", ""])', ['A', 'B', 'A', '']],
    ['string(["a", "", "héllo"])', ['a', '', 'héllo']],
    ['1:3', [1, 3]],
    ['(1, "a", 2.5)', [1, 'a', 2.5]]
  ]
  for (const [script, expected] of cases) {
    test(script, async () => {
      assert.deepEqual(await ddb.execute(script), expected)
    })
  }

  test('an empty SYMBOL vector keeps its type', async () => {
    const obj = await ddb.eval('symbol(string([]))')
    assert.equal(obj.rows, 0)
    assert.equal(obj.type, 145)  // SYMBOL with its base (a plain 17 reads back as STRING in C++)
    assert.deepEqual(obj.data(), [])
  })

  test('a dictionary (fromStdJson: numbers are DOUBLE, dates are read)', async () => {
    assert.deepEqual(await ddb.execute(`fromStdJson('{"a": 1, "b": [1, 2], "c": "2024.01.15"}')`),
      { a: 1, b: [1, 2], c: '2024.01.15' })
    assert.equal(await ddb.execute(`type(fromStdJson('[1, 2]'))`), 16)
  })
})

describe('tables', () => {
  test('every type with NULLs', async () => {
    const rows = await ddb.execute(`table(
      1 NULL as i, bool(1 NULL) as b, char(97 NULL) as c, short(7 NULL) as s, long(5 NULL) as l,
      float(0.5 NULL) as f, 1.25 NULL as d, date(2024.01.15 NULL) as dt, month(2024.01M NULL) as mo,
      time(13:30:10.008 NULL) as tm, minute(13:30m NULL) as mi, second(13:30:10 NULL) as se,
      datetime(2024.01.15T13:30:10 NULL) as dtm, timestamp(2024.01.15T13:30:10.008 NULL) as ts,
      nanotimestamp(2024.01.15T13:30:10.008007006 NULL) as nts, symbol(["A", ""]) as sy,
      string(["x", ""]) as st)`)
    assert.deepEqual(rows[0], {
      i: 1, b: true, c: 'a', s: 7, l: 5n, f: 0.5, d: 1.25, dt: '2024.01.15', mo: '2024.01M',
      tm: '13:30:10.008', mi: '13:30m', se: '13:30:10', dtm: '2024.01.15 13:30:10',
      ts: '2024.01.15 13:30:10.008', nts: '2024.01.15 13:30:10.008007006', sy: 'A', st: 'x'
    })
    assert.deepEqual(rows[1], {
      i: null, b: null, c: '', s: null, l: null, f: null, d: null, dt: 'null', mo: 'null',
      tm: 'null', mi: 'null', se: 'null', dtm: 'null', ts: 'null', nts: 'null', sy: '', st: ''
    })
  })

  test('a table of 200,000 rows (a 64-bit WebSocket length)', async () => {
    const t = await ddb.eval('table(1..200000 as id, symbol(string((1..200000) % 7)) as k)')
    assert.equal(t.rows, 200000)
    const rows = t.data()
    assert.deepEqual(rows[199999], { id: 200000, k: '3' })
  })
})

describe('calls', () => {
  test('invoke with numbers goes through the def invoke helper and fromStdJson', async () => {
    assert.equal(await ddb.invoke('add', [1, 1]), 2)
    assert.equal(await ddb.invoke('add', [1, 2.5]), 3.5)
  })

  test('call with typed arguments', async () => {
    assert.equal((await ddb.call('add', [new DdbInt(1), new DdbInt(1)])).value, 2)
    assert.equal((await ddb.call('add', [new DdbDouble(0.5), new DdbLong(2n)])).value, 2.5)
    assert.equal((await ddb.call('concat', [new DdbString('a'), new DdbString('b')])).value, 'ab')
  })

  test('a def function of the session, called by name', async () => {
    await ddb.execute('def twice(x) { return x * 2 }')
    assert.equal((await ddb.call('twice', [new DdbInt(21)])).value, 42)
  })

  test('an unknown function is an error, and the connection goes on', async () => {
    await assert.rejects(ddb.call('nosuch', []), /function 'nosuch' is not defined/)
    assert.equal(await ddb.execute('1+2'), 3)
  })
})

describe('print, errors', () => {
  test('print output arrives before the answer', async () => {
    const messages = []
    const answer = await ddb.execute('print("hello from strata")\nprint(1 2 3)\n42', {
      listener (message) { if (message.type === 'print') messages.push(message.data) }
    })
    assert.equal(answer, 42)
    assert.deepEqual(messages, ['hello from strata', '[1,2,3]'])
  })

  test('a syntax error, then a working call', async () => {
    await assert.rejects(ddb.execute('1 +'), /line 1: expected an expression/)
    assert.equal(await ddb.execute('2*3'), 6)
  })

  test('a runtime error names the object', async () => {
    await assert.rejects(ddb.execute('loadTable("dfs://nowhere", "t")'), /dfs:\/\/nowhere/)
  })
})

describe('uploads and the backup family', () => {
  const repo = join(scratch, 'backups')

  test('an uploaded table appended to a partitioned table', async () => {
    await ddb.execute(`
      t0 = table(1 2 as id, symbol(["a", "b"]) as sym, 1.0 2.0 as price, 2024.01.01 2024.01.02 as day)
      db = database("dfs://ddbc", VALUE, 1..10)
      db.createPartitionedTable(t0, "pt", "id")`)
    const n = 5000
    const ids = Array.from({ length: n }, (_, i) => (i % 10) + 1)
    const syms = Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3])
    const prices = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : i / 4))
    const days = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 28))))
    const upload = new DdbTable([
      new DdbVectorInt(ids, 'id'), new DdbVectorSymbol(syms, 'sym'),
      new DdbVectorDouble(prices, 'price'), new DdbVectorDate(days, 'day')], 'up')
    await ddb.upload(['up'], [upload])
    await ddb.execute('loadTable("dfs://ddbc", "pt").append!(up)')
    const counts = await ddb.execute(
      'select count(*) as n, sum(price) as s from loadTable("dfs://ddbc", "pt")')
    const expectedSum = prices.reduce((sum, p) => sum + (p ?? 0), 0)
    assert.equal(Number(counts[0].n), n)
    assert.ok(Math.abs(counts[0].s - expectedSum) < 1e-6)
    const bySym = await ddb.execute(
      'select count(*) as n from loadTable("dfs://ddbc", "pt") where sym = "c"')
    assert.equal(Number(bySym[0].n), syms.filter(s => s === 'c').length)
  })

  test('uploaded vectors and scalars become session variables', async () => {
    await ddb.upload(['v', 's', 'names'], [new DdbVectorInt([1, null, 3]), new DdbString('x'),
      new DdbVectorString(['p', 'q'])])
    assert.deepEqual(await ddb.execute('v'), [1, null, 3])
    assert.equal(await ddb.execute('s + "y"'), 'xy')
    assert.equal(await ddb.execute('size(names)'), 2)
  })

  test('backup, getBackupStatus and restore through the client', async () => {
    const messages = []
    const backedUp = await ddb.execute(`backup("${repo}", "dfs://ddbc", true)`, {
      listener (message) { if (message.type === 'print') messages.push(message.data) }
    })
    assert.equal(backedUp, 10)
    assert.equal(messages[0], 'backup dfs://ddbc: started', 'progress goes out as print messages')
    const status = await ddb.execute('getBackupStatus()')
    assert.ok(status.some(row => row.dbName === 'dfs://ddbc'), JSON.stringify(status))
    // invoke with strings and a boolean is one function request.
    assert.equal(await ddb.invoke('backup', [repo, 'dfs://ddbc', true]), 10)
    await ddb.execute('dropDatabase("dfs://ddbc")')
    await assert.rejects(ddb.execute('loadTable("dfs://ddbc", "pt")'), /dfs:\/\/ddbc/)
    const restored = await ddb.execute(`restoreDB("${repo}", "dfs://ddbc")`)
    assert.ok(restored !== undefined)
    const counts = await ddb.execute('select count(*) as n from loadTable("dfs://ddbc", "pt")')
    assert.equal(Number(counts[0].n), 5000)
    assert.ok(Array.isArray(await ddb.execute(`getBackupList("${repo}", "dfs://ddbc", "pt")`)))
  })
})

describe('many clients', () => {
  test('50 clients at once, each with its own session', async () => {
    const clients = Array.from({ length: 50 }, () => connect())
    await Promise.all(clients.map(c => c.connect()))
    const results = await Promise.all(clients.map(async (c, i) => {
      await c.execute(`mine = ${i}`)
      const rows = await c.execute(`select count(*) as n from loadTable("dfs://ddbc", "pt") where id = ${(i % 10) + 1}`)
      return [await c.execute('mine * 2'), Number(rows[0].n)]
    }))
    results.forEach(([twice, n], i) => {
      assert.equal(twice, i * 2, 'each session keeps its own variables')
      assert.equal(n, 500)
    })
    clients.forEach(c => c.disconnect())
  })
})
