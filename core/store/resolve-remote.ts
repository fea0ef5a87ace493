/**
 * Which remote a pull or push talks to: the one the user named, else the DVC repository's default
 * remote (.dvc/config), as `dvc pull` and `dvc push` choose it.
 */
import { UserError } from '../errors.ts';
import { findDvcDir, readDefaultDvcRemote, readDvcConfig, remoteNamed } from './internal/dvc/dvc-config.ts';
import { parseStoreUri, type StoreLocation } from './open-store.ts';

export interface ResolvedRemote {
  /** What openStore takes: s3://bucket/prefix, file:///folder, or an absolute folder. */
  uri: string;
  /** An S3-compatible endpoint the DVC remote names (endpointurl). */
  endpoint?: string;
  location: StoreLocation;
  /** How it was chosen, for messages: `--remote`, `DVC remote "storage" (/repo/.dvc/config)`. */
  source: string;
}

export interface ResolveRemoteOptions {
  /** What the user named: a store URI, a local folder, or the name of a remote in .dvc/config. */
  remote?: string;
  /** How the user names a remote in this front door, for messages: `--remote`, `the remote input`. */
  label: string;
  /** Where .dvc/config is looked for, upward: the pointer's (or pushed path's) folder. */
  from: string;
  /** What a relative folder in `remote` is relative to. */
  cwd: string;
}

const BARE_NAME = /^[\w.-]+$/;

export async function resolveRemote(options: ResolveRemoteOptions): Promise<ResolvedRemote> {
  const { remote, label } = options;
  if (remote !== undefined && remote.trim() !== '') {
    // `dvc pull -r storage` names a remote; accept that when the DVC config has one by that name.
    if (BARE_NAME.test(remote)) {
      const dvcDir = await findDvcDir(options.from);
      const named = dvcDir ? remoteNamed(await readDvcConfig(dvcDir), remote) : undefined;
      if (named) return fromDvc(named.url, named.endpointurl, `DVC remote "${named.name}" (${named.configFile})`);
    }
    return { uri: remote, location: parseStoreUri(remote, options.cwd), source: label };
  }
  const fallback = await readDefaultDvcRemote(options.from);
  if (!fallback) {
    throw new UserError(
      `no remote to use for ${options.from}: pass ${label} (s3://bucket/prefix, file:///folder or a folder path), ` +
        'or set a default remote in the DVC repository with `dvc remote add -d NAME URL`.',
    );
  }
  return fromDvc(fallback.url, fallback.endpointurl, `DVC default remote "${fallback.name}" (${fallback.configFile})`);
}

function fromDvc(url: string, endpoint: string | undefined, source: string): ResolvedRemote {
  let location: StoreLocation;
  try {
    location = parseStoreUri(url);
  } catch (error) {
    throw new UserError(`${source}: ${(error as Error).message}`, { cause: error });
  }
  return { uri: url, location, source, ...(endpoint ? { endpoint } : {}) };
}
