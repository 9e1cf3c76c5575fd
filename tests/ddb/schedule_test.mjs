// Scheduled backups on `strata serve`, driven through DolphinDB's JavaScript client with the
// scheduler's clock in a file the test rewrites (STRATA_TEST_CLOCK_FILE), so nobody waits for
// midnight: the backup tutorial's daily scheduleJob runs at its times, shows in
// getScheduledJobs, getRecentJobs and getBackupStatus, survives a server restart (a slot missed
// while it was down runs once at start), and a run of a user who lost the grant fails.
// Usage: node schedule_test.mjs STRATA
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { join } from 'node:path'
import { rmSync, writeFileSync } from 'node:fs'
import { scratchDir, StrataServer } from './strata_server.mjs'

const { DDB } = await import('dolphindb')

const strata = process.argv[2]
assert.ok(strata, 'usage: node schedule_test.mjs STRATA')

const scratch = scratchDir('strata-ddb-schedule-')
const clock = join(scratch, 'clock')
const repo = join(scratch, 'backups')
let server

function setClock (text) {
  writeFileSync(clock, text + '\n')
}

async function startServer () {
  process.env.STRATA_TEST_CLOCK_FILE = clock
  server = new StrataServer(strata, join(scratch, 'data'))
  await server.start()
}

async function stopServer () {
  const status = await server.stop()
  if (status !== 0) console.error(server.log())
  assert.equal(status, 0, 'strata serve exits 0 on SIGTERM')
  server.cleanUp()
}

async function client (username = 'admin', password = '123456') {
  const ddb = new DDB(server.url, { username, password })
  await ddb.connect()
  return ddb
}

// The scheduled-script jobs of `id`, once `count` of them have finished.
async function runsOf (ddb, id, count) {
  const deadline = Date.now() + 20000
  for (;;) {
    const jobs = (await ddb.execute('getRecentJobs()')).filter(j => j.jobId.startsWith(id + '-'))
    const done = jobs.filter(j => j.endTime !== 'null')
    if (done.length >= count) return jobs
    assert.ok(Date.now() < deadline, `runs of ${id}: ${JSON.stringify(jobs)}\n${server.log()}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

before(async () => {
  setClock('2026-12-07T00:00:00.000Z')
  await startServer()
})

after(async () => {
  if (server) await stopServer()
  rmSync(scratch, { recursive: true, force: true })
})

test('the tutorial\'s daily backup runs at its time, and after a restart', async () => {
  const ddb = await client()
  await ddb.execute(`
    db = database("dfs://compoDB", VALUE, 1..4)
    t = table(1..100 as id, rand(10.0, 100) as x)
    db.createPartitionedTable(t, "pt", "id").append!(t)
    def backupJob() { return backup("${repo}", "dfs://compoDB", true) }`)
  const id = await ddb.execute(
    'scheduleJob("dailyBackup", "backup compoDB", backupJob, 00:05m, 2026.12.07, 2030.12.31, \'D\')')
  assert.equal(id, 'dailyBackup')
  const listed = await ddb.execute('getScheduledJobs()')
  assert.deepEqual(listed.map(j => [j.userId, j.jobId, j.jobDesc, j.frequency, j.scheduleTime]),
    [['admin', 'dailyBackup', 'backup compoDB', 'D', '00:05m']])
  assert.equal((await ddb.execute('getRecentJobs()')).length, 0, 'nothing ran before 00:05')

  setClock('2026-12-07T00:05:00.000Z')
  let runs = await runsOf(ddb, 'dailyBackup', 1)
  assert.equal(runs[0].jobId, 'dailyBackup-20261207T0005')
  assert.equal(runs[0].errorMsg, '', JSON.stringify(runs[0]))
  const backups = await ddb.execute('getBackupStatus()')
  assert.ok(backups.some(b => b.dbName === 'dfs://compoDB' && b.completed), JSON.stringify(backups))
  const returned = await ddb.execute('getJobReturn("dailyBackup-20261207T0005")')
  assert.equal(returned, 100, 'the run returned what backup returned: 100 partitions')
  ddb.disconnect()

  // Down over the next slot: the schedule survives, and the missed slot runs once at start.
  await stopServer()
  setClock('2026-12-08T06:00:00.000Z')
  await startServer()
  const again = await client()
  runs = await runsOf(again, 'dailyBackup', 2)
  assert.deepEqual(runs.map(r => r.jobId).sort(),
    ['dailyBackup-20261207T0005', 'dailyBackup-20261208T0005'])
  assert.match(server.log(), /scheduled job 'dailyBackup': run 'dailyBackup-20261208T0005' started/)
  setClock('2026-12-08T12:00:00.000Z')
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.equal((await runsOf(again, 'dailyBackup', 2)).length, 2, 'a slot runs once')
  await again.execute('deleteScheduledJob("dailyBackup")')
  assert.equal((await again.execute('getScheduledJobs()')).length, 0)
  again.disconnect()
})

test('a run acts as its user with the rights of the moment', async () => {
  const admin = await client()
  await admin.execute(`
    createUser("bob", "bob_pw")
    grant("bob", DB_READ, "dfs://compoDB")
    grant("bob", DB_WRITE, "dfs://compoDB")`)
  const bob = await client('bob', 'bob_pw')
  await bob.execute(`def bobJob() { return backup("${repo}", "dfs://compoDB") }`)
  assert.equal(await bob.execute(
    'scheduleJob("bobBackup", "bob\'s", bobJob, [06:00m, 18:00m], 2026.12.08, 2026.12.31, \'W\', 2)'),
  'bobBackup')
  // Wednesday 2026-12-09 is day 3, so the first slot is Tuesday 2026-12-15 (day 2) at 06:00.
  setClock('2026-12-15T06:00:00.000Z')
  let runs = await runsOf(bob, 'bobBackup', 1)
  assert.equal(runs[0].errorMsg, '', JSON.stringify(runs[0]))
  assert.equal(runs[0].userID, 'bob')
  await admin.execute('revoke("bob", DB_READ, "dfs://compoDB")')
  setClock('2026-12-15T18:00:00.000Z')
  runs = await runsOf(bob, 'bobBackup', 2)
  const failed = runs.find(r => r.jobId === 'bobBackup-20261215T1800')
  assert.match(failed.errorMsg, /bob/, JSON.stringify(failed))
  assert.match(failed.errorMsg, /grant|may not|denied/i, JSON.stringify(failed))
  // bob sees his schedule; admin sees every schedule; bob may not delete another's.
  await admin.execute(`def adminJob() { return 1 }
    scheduleJob("adminJob", "", adminJob, 01:00m, 2026.12.01, 2026.12.31, 'M', 1)`)
  assert.deepEqual((await bob.execute('getScheduledJobs()')).map(j => j.jobId), ['bobBackup'])
  assert.deepEqual((await admin.execute('getScheduledJobs()')).map(j => j.jobId).sort(),
    ['adminJob', 'bobBackup'])
  await assert.rejects(bob.execute('deleteScheduledJob("adminJob")'), /only they or a superuser/)
  bob.disconnect()
  admin.disconnect()
})
