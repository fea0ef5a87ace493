/**
 * md5 of a file's byte ranges, in order, on a worker thread. A large object arrives as parallel
 * ranged GETs; its md5 needs the bytes in order, so completed parts are read back from the file and
 * hashed. md5 of a large file is seconds of one core's work (bench/RESULTS.md, "micro"), which on
 * the main thread would delay the downloads themselves; here it runs beside them.
 *
 * The worker's code is a string (no module to find after bundling) using only Node built-ins.
 */
import { Worker } from 'node:worker_threads';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const fd = openSync(workerData.path, 'r');
const hash = createHash('md5');
const buffer = Buffer.allocUnsafe(1 << 20);
let size = 0;
parentPort.on('message', (message) => {
  try {
    if (message.digest) {
      closeSync(fd);
      parentPort.postMessage({ md5: hash.digest('hex'), size });
      return;
    }
    for (let at = message.start; at <= message.end; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, message.end + 1 - at), at);
      if (read === 0) throw new Error(workerData.path + ': read back fewer bytes than were written');
      hash.update(buffer.subarray(0, read));
      at += read;
      size += read;
    }
    parentPort.postMessage({ hashed: message.end });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

interface Reply {
  hashed?: number;
  md5?: string;
  size?: number;
  error?: string;
}

export class Md5Worker {
  private readonly worker: Worker;
  private pending?: { resolve(reply: Reply): void; reject(error: Error): void };
  private failure?: Error;

  /** Hashes `path`, which must exist (it is opened for reading now). */
  constructor(path: string) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path } });
    this.worker.on('message', (reply: Reply) => {
      const pending = this.pending;
      this.pending = undefined;
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.pending?.reject(error);
      this.pending = undefined;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the md5 worker exited (code ${code})`)));
  }

  /** Adds bytes [start, end] of the file; calls must come in order, one at a time. */
  async add(start: number, end: number): Promise<void> {
    await this.request({ start, end });
  }

  async digest(): Promise<{ md5: string; size: number }> {
    const reply = await this.request({ digest: true });
    return { md5: String(reply.md5), size: Number(reply.size) };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private request(message: object): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('Md5Worker: one request at a time'));
    return new Promise<Reply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }
}
