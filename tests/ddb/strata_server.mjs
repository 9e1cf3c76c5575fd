// Starts and stops `strata serve` for the DolphinDB client tests (tests/ddb/README.md): on
// 127.0.0.1, every port picked by the kernel and read from the server's first log lines; stopped
// with SIGTERM by the PID this module started, and expected to exit 0.

// dolphindb@3 uses Promise.withResolvers, which Node has from version 22 on.
if (!Promise.withResolvers) {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((yes, no) => { resolve = yes; reject = no })
    return { promise, resolve, reject }
  }
}

import { spawn } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export class StrataServer {
  // `strata`: the binary; `dataDir`: its data directory; `args`: more options for serve.
  constructor (strata, dataDir, args = []) {
    this.strata = strata
    this.dataDir = dataDir
    this.args = args
  }

  async start (timeoutMs = 30000) {
    this.logDir = mkdtempSync(join(tmpdir(), 'strata-ddb-log-'))
    this.logPath = join(this.logDir, 'serve.log')
    const log = openSync(this.logPath, 'w')
    this.process = spawn(this.strata, ['serve', '--data', this.dataDir, '--host', '127.0.0.1',
      '--port', '0', '--http-port', '0', '--dolphindb-port', '0', ...this.args],
    { stdio: ['ignore', log, log] })
    this.exited = new Promise(resolve => this.process.on('exit', (code, signal) => resolve({ code, signal })))
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const match = /DolphinDB protocol on 127\.0\.0\.1:(\d+)/.exec(this.log())
      if (match) {
        this.port = Number(match[1])
        this.mysqlPort = Number(/MySQL protocol on 127\.0\.0\.1:(\d+)/.exec(this.log())[1])
        this.url = `ws://127.0.0.1:${this.port}`
        return this
      }
      if (this.process.exitCode !== null) throw new Error(`strata serve exited ${this.process.exitCode}:\n${this.log()}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    this.process.kill('SIGKILL')
    throw new Error(`strata serve did not start within ${timeoutMs} ms:\n${this.log()}`)
  }

  log () {
    return readFileSync(this.logPath, 'utf8')
  }

  // SIGTERM, then the exit status (0 expected).
  async stop (timeoutMs = 60000) {
    if (this.process.exitCode !== null) return this.process.exitCode
    this.process.kill('SIGTERM')
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs)
    const { code } = await this.exited
    clearTimeout(timer)
    return code
  }

  cleanUp () {
    rmSync(this.logDir, { recursive: true, force: true })
  }
}

export function scratchDir (prefix) {
  return mkdtempSync(join(tmpdir(), prefix))
}
