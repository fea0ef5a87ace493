/**
 * From the remote URI a user writes (a flag, an action input, a DVC remote) to an ObjectStore.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { FileStore } from './file-store.ts';
import { redactCredentials } from './internal/redact-credentials.ts';
import type { RetryPolicy } from './retry.ts';
import { S3Store } from './s3-store.ts';
import type { ObjectStore } from './store.ts';

export type StoreLocation = { kind: 's3'; bucket: string; prefix: string } | { kind: 'file'; root: string };

export interface OpenStoreOptions {
  /** Where the S3 client finds its endpoint, region and credentials (see s3-client.ts); front doors pass process.env. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** What a relative local path is relative to. Default: the process's working folder. */
  cwd?: string;
  /** An S3 endpoint named outside the environment (a DVC remote's `endpointurl`). */
  endpoint?: string;
  retry?: Partial<RetryPolicy>;
  /** S3 connections (default 64): at least the number of parallel transfers. */
  maxSockets?: number;
  /** Plain GETs skip the SDK's command stack while S3 answers 200/206 (default true; see s3-direct-get.ts). */
  directGet?: boolean;
}

const FORMS = 's3://bucket/prefix, file:///absolute/folder, or a local folder path';

export function openStore(uri: string, options: OpenStoreOptions): ObjectStore {
  const location = parseStoreUri(uri, options.cwd);
  if (location.kind === 'file') return new FileStore(location.root);
  return new S3Store(location, {
    env: options.env,
    logger: options.logger,
    endpoint: options.endpoint,
    retry: options.retry,
    maxSockets: options.maxSockets,
    directGet: options.directGet,
  });
}

export function parseStoreUri(uri: string, cwd: string = process.cwd()): StoreLocation {
  const text = uri.trim();
  if (text === '') throw new UserError(`the remote is empty. Use ${FORMS}.`);
  const shown = redactCredentials(text); // what messages print: never a password written into the URL
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', root: resolve(cwd, text) }; // a path (C:\ has a one-letter "scheme")
  if (scheme === 's3') return parseS3(text, shown);
  if (scheme === 'file') return { kind: 'file', root: parseFileUri(text, shown) };
  throw new UserError(`unsupported remote "${shown}": ${scheme}:// stores are not supported. Use ${FORMS}.`);
}

function parseS3(uri: string, shown: string): StoreLocation {
  const match = /^s3:\/\/([^/]*)\/*(.*)$/i.exec(uri);
  const bucket = match?.[1] ?? '';
  if (!match || !/^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/.test(bucket)) {
    throw new UserError(
      `"${shown}" is not a valid S3 remote: expected s3://bucket or s3://bucket/prefix with a bucket name of letters, digits, "." and "-".`,
    );
  }
  const prefix = match[2].replace(/\/+$/, '');
  if (prefix.split('/').some((part) => part === '..' || part === '.') || prefix.includes('//')) {
    throw new UserError(
      `"${shown}" has an empty, "." or ".." folder in its prefix. Write the prefix as plain folders: s3://${bucket}/a/b.`,
    );
  }
  return { kind: 's3', bucket, prefix };
}

function parseFileUri(uri: string, shown: string): string {
  if (!/^file:\/\//i.test(uri)) {
    throw new UserError(
      `"${shown}" is not a valid file remote: use file:///absolute/folder (three slashes), or a plain folder path.`,
    );
  }
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch (error) {
    throw new UserError(
      `"${shown}" is not a valid file remote (${redactCredentials((error as Error).message)}): use file:///absolute/folder on this machine.`,
      { cause: error },
    );
  }
  if (!isAbsolute(path))
    throw new UserError(`"${shown}" does not name an absolute folder: use file:///absolute/folder.`);
  return resolve(path).replace(/(.)\/+$/, '$1');
}
