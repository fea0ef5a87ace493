/**
 * DVC's remote settings, read as DVC reads them, so `cairn pull` finds the remote `dvc pull` would:
 * `.dvc/config` (committed) with `.dvc/config.local` (not committed; its keys win) of the nearest
 * DVC repository above the pointer file. Global and system DVC configs are not read.
 *
 * The files are configobj INI as DVC writes them:
 *
 *     [core]
 *         remote = storage
 *     ['remote "storage"']
 *         url = s3://bucket/dvc
 *         endpointurl = https://minio.example.com
 *
 * As in DVC, section names and keys are case-insensitive (lowercased), remote names too, and a
 * relative local `url` is relative to the `.dvc` folder that holds the config.
 */
import { stat, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { UserError } from '../../../errors.ts';
import { redactCredentials } from '../redact-credentials.ts';

/** A remote as the config names it. */
export interface DvcRemoteConfig {
  name: string;
  /** s3://…, a URL of another scheme, or an absolute local folder. */
  url: string;
  /** S3-compatible endpoint (`dvc remote modify NAME endpointurl URL`). */
  endpointurl?: string;
  /** The config file that set the url, for messages. */
  configFile: string;
}

/** What parseDvcConfig returns: section -> key -> value, names lowercased. */
export type DvcConfigSections = Map<string, Map<string, string>>;

const REMOTE_SECTION = /^\s*remote\s*"(.*)"\s*$/;

/**
 * Parses one DVC config file. Supports what DVC writes and what people type by hand: `[core]`,
 * `['remote "name"']` or `[remote "name"]`, `key = value` with optional
 * quotes, and `#` comments. `source` names the file in errors.
 */
export function parseDvcConfig(text: string, source: string): DvcConfigSections {
  const sections: DvcConfigSections = new Map();
  let current: Map<string, string> | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const fail = (why: string) =>
      new UserError(
        redactCredentials(
          `${source}, line ${index + 1}: ${why}. Fix the line (\`dvc config --list\` shows how DVC reads the file).`,
        ),
      );
    if (line.startsWith('[')) {
      const header = /^(\[+)(.*?)(\]+)\s*(?:#.*)?$/.exec(line);
      if (!header || header[1].length !== header[3].length) throw fail(`"${line}" is not a section header`);
      if (header[1].length > 1) throw fail(`nested sections ("${line}") are not part of DVC's config`);
      const name = unquote(header[2].trim()).toLowerCase();
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      return;
    }
    const entry = /^("[^"]*"|'[^']*'|[^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!entry) throw fail(`expected "key = value" or a [section], got "${line}"`);
    if (!current) throw fail(`"${line}" comes before any [section]`);
    current.set(unquote(entry[1]).toLowerCase(), parseValue(entry[2], fail));
  });
  return sections;
}

function unquote(text: string): string {
  const quote = text[0];
  return text.length >= 2 && (quote === '"' || quote === "'") && text.endsWith(quote) ? text.slice(1, -1) : text;
}

function parseValue(text: string, fail: (why: string) => Error): string {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, 1);
    if (end < 0) throw fail(`the value ${text} has no closing ${quote}`);
    if (!/^\s*(?:#.*)?$/.test(text.slice(end + 1)))
      throw fail(`unexpected text after the quoted value ${text.slice(0, end + 1)}`);
    return text.slice(1, end);
  }
  // configobj ends an unquoted value at `#` (a comment); quote a value that holds one.
  const hash = text.indexOf('#');
  return (hash < 0 ? text : text.slice(0, hash)).trim();
}

/**
 * The `.dvc` folder of the DVC repository that holds `from`: the nearest one going up, stopping at
 * the folder that holds `.git` (the repository's root) or at the filesystem root.
 */
export async function findDvcDir(from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    if (await isDirectory(join(dir, '.dvc'))) return join(dir, '.dvc');
    if ((await exists(join(dir, '.git'))) || dirname(dir) === dir) return undefined;
  }
}

/** Both config files of a `.dvc` folder, merged key by key; config.local wins. */
export interface DvcConfig {
  dvcDir: string;
  /** core.remote, lowercased, and the file that set it. */
  defaultRemote?: { name: string; configFile: string };
  remotes: Map<string, DvcRemoteConfig>;
}

export async function readDvcConfig(dvcDir: string): Promise<DvcConfig> {
  const merged = new Map<string, Map<string, { value: string; file: string }>>();
  for (const file of [join(dvcDir, 'config'), join(dvcDir, 'config.local')]) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) continue;
    for (const [section, keys] of parseDvcConfig(text, file)) {
      const into = merged.get(section) ?? new Map<string, { value: string; file: string }>();
      merged.set(section, into);
      for (const [key, value] of keys) into.set(key, { value, file });
    }
  }
  const config: DvcConfig = { dvcDir, remotes: new Map() };
  const core = merged.get('core')?.get('remote');
  if (core && core.value !== '') config.defaultRemote = { name: core.value.toLowerCase(), configFile: core.file };
  for (const [section, keys] of merged) {
    const name = REMOTE_SECTION.exec(section)?.[1];
    if (name === undefined) continue;
    const url = keys.get('url');
    if (!url || url.value === '') continue; // reported if used: see remoteNamed
    const endpointurl = keys.get('endpointurl')?.value || undefined;
    config.remotes.set(name, {
      name,
      url: resolveLocalUrl(url.value, dvcDir),
      configFile: url.file,
      ...(endpointurl ? { endpointurl } : {}),
    });
  }
  return config;
}

/** As DVC does: a relative local path in a config is relative to the folder of that config. */
function resolveLocalUrl(url: string, dvcDir: string): string {
  if (/^\w+:\/\//.test(url) || isAbsolute(url)) return url;
  return join(dvcDir, url);
}

/**
 * The remote `name` of a config, with `remote://other/sub/path` urls (a remote inside another)
 * resolved. Undefined when the config has no such remote.
 */
export function remoteNamed(config: DvcConfig, name: string, seen: string[] = []): DvcRemoteConfig | undefined {
  const remote = config.remotes.get(name.toLowerCase());
  if (!remote) return undefined;
  const nested = /^remote:\/\/([^/]+)\/?(.*)$/.exec(remote.url);
  if (!nested) return remote;
  if (seen.includes(remote.name)) {
    throw new UserError(
      `${remote.configFile}: remote "${remote.name}" refers to itself through remote:// urls (${[...seen, remote.name].join(' -> ')}). Give one of them a real url.`,
    );
  }
  const base = remoteNamed(config, nested[1], [...seen, remote.name]);
  if (!base)
    throw new UserError(
      `${remote.configFile}: remote "${remote.name}" has url ${redactCredentials(remote.url)}, but there is no remote "${nested[1]}". Add it or fix the url.`,
    );
  const url = nested[2] === '' ? base.url : `${base.url.replace(/\/+$/, '')}/${posix.normalize(nested[2])}`;
  return {
    ...base,
    name: remote.name,
    url,
    configFile: remote.configFile,
    ...(remote.endpointurl ? { endpointurl: remote.endpointurl } : {}),
  };
}

/**
 * The default remote (`[core] remote = NAME`) of the DVC repository holding `from`, or undefined
 * when there is no DVC repository or it sets no default. A default that names no remote with a
 * url is a UserError naming the file.
 */
export async function readDefaultDvcRemote(from: string): Promise<DvcRemoteConfig | undefined> {
  const dvcDir = await findDvcDir(from);
  if (!dvcDir) return undefined;
  const config = await readDvcConfig(dvcDir);
  if (!config.defaultRemote) return undefined;
  const { name, configFile } = config.defaultRemote;
  const remote = remoteNamed(config, name);
  if (!remote) {
    const known = [...config.remotes.keys()];
    throw new UserError(
      `${configFile} sets the default remote "${name}" ([core] remote = ${name}), but no ['remote "${name}"'] section with a url exists ` +
        `(${known.length > 0 ? `remotes with a url: ${known.join(', ')}` : 'no remote has a url'}). ` +
        `Add it with \`dvc remote add -d ${name} URL\`, or fix [core] remote.`,
    );
  }
  return remote;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
