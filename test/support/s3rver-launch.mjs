// s3rver 3.7.1's file store answers a PUT once its hashing stream has seen the body, before the bytes
// reach the object's file (putObject resolves on the Transform's 'finish', and right after `end()`
// for a buffer). A GET that follows at once can then read a cut or empty object, which S3 (read-after-
// write consistent) never returns: under the full suite's load, stage-pointer.test.ts read back 0
// bytes after a restore. This runs s3rver's own CLI with that one method waiting for the file to be
// written; everything else is s3rver as published.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// s3rver is CommonJS: its file store is patched through the same module cache its CLI then loads.
const require = createRequire(import.meta.url);
const FilesystemStore = require('s3rver/lib/stores/filesystem.js');

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk, encoding, callback) {
      md5.update(chunk, encoding);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
  // Resolves once the file stream has flushed and closed: the object is whole before the PUT is answered.
  await pipeline(source, count, createWriteStream(objectPath));
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

require('s3rver/bin/s3rver.js');
