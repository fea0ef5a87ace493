/**
 * How DVC hashed an output's bytes. `md5` (DVC 3.x, `hash: md5` in the pointer file) is the md5 of
 * the raw bytes. `md5-dos2unix` (an output written by DVC 2.x, no `hash:` key) is the md5 after
 * CRLF -> LF in files DVC took for text; DVC 3 keeps that name for such outputs.
 */
export type DvcHashKind = 'md5' | 'md5-dos2unix';

/** Where a remote keeps an object: DVC 3.x `files/md5/<xx>/<rest>`, DVC 2.x `<xx>/<rest>`. */
export type DvcRemoteLayout = '3.x' | '2.x';

/** One output (or dependency) named by a `.dvc` file or a `dvc.lock`, normalised. */
export interface DvcOutput {
  /** POSIX path relative to the folder that holds the pointer file (`wdir` applied, normalised). */
  path: string;
  /** Object id: 32 lowercase hex digits, with `.dir` for a folder (the id of its manifest). */
  md5: string;
  /** Bytes of the file, or of all files of a folder. */
  size?: number;
  /** Files in a folder. */
  nfiles?: number;
  isDir: boolean;
  isexec?: boolean;
  hashKind: DvcHashKind;
  /** `cache: false` outputs are tracked by git, never stored in a remote. */
  cache: boolean;
  /** The remote named by the output's `remote:` key, if any. */
  remote?: string;
  /** dvc.lock only: the stage, and whether the entry is one of its outs or its deps. */
  stage?: string;
  role: 'out' | 'dep';
  /** Where it came from, for messages: `data.dvc: outs[0]`. */
  origin: string;
}

/** One file of a folder, as a `.dir` manifest lists it. */
export interface DirManifestEntry {
  /** POSIX path inside the folder, checked by checkManifestPath. */
  relpath: string;
  /** md5 of the file, by the hash kind of the output the manifest belongs to. */
  md5: string;
}
