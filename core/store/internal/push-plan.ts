/**
 * From hashed workspace files to what a push records and uploads: the output's object id (a file's
 * md5, or a folder's `.dir` manifest id), and the objects under the remote layout of its hash kind.
 */
import { buildDirManifest } from './dvc/dir-manifest.ts';
import type { DvcDigest } from './dvc/dvc-hasher.ts';
import { layoutForHashKind, objectKey } from './dvc/object-key.ts';
import type { DvcHashKind } from './dvc/types.ts';
import type { UploadObject } from './push-transfer.ts';
import type { WorkspaceFile, WorkspaceOutput } from './push-tree.ts';

/** One way to record an output: its id and sizes, and the objects that back it. */
export interface PlannedOutput {
  md5: string;
  size: number;
  nfiles?: number;
  isexec?: boolean;
  files: UploadObject[];
  manifests: UploadObject[];
}

/** The files of an output, in the order its digests come in. */
export function filesOf(output: WorkspaceOutput): WorkspaceFile[] {
  return output.kind === 'file' ? [output.file] : output.files;
}

/**
 * Every id a DVC release could have recorded for these bytes, the one DVC 3 writes first. Raw md5
 * has one. md5-dos2unix (DVC 2 outputs) has two where a file over 1 MiB has blocks that disagree
 * about being text (see dvc-hasher.ts); a folder then has a manifest for each reading.
 */
export function planOutput(output: WorkspaceOutput, digests: readonly DvcDigest[], kind: DvcHashKind): PlannedOutput[] {
  const files = filesOf(output);
  const layout = layoutForHashKind(kind);
  const objectsFor = (pick: (digest: DvcDigest) => string): UploadObject[] =>
    files.map((file, index) => ({
      key: objectKey(pick(digests[index]), layout),
      size: digests[index].size,
      source: { kind: 'file', path: file.path, md5: pick(digests[index]), hashKind: kind },
    }));

  if (output.kind === 'file') {
    const digest = digests[0];
    return digest.accepted.map((md5) => ({
      md5,
      size: digest.size,
      ...(output.file.isexec ? { isexec: true } : {}),
      files: objectsFor(() => md5),
      manifests: [],
    }));
  }

  const readings: Array<(digest: DvcDigest) => string> = [(digest) => digest.md5, (digest) => digest.accepted.at(-1)!];
  const plans = new Map<string, PlannedOutput>();
  for (const pick of readings) {
    const manifest = buildDirManifest(
      files.map((file, index) => ({ relpath: file.relpath, md5: pick(digests[index]) })),
    );
    if (plans.has(manifest.id)) continue;
    const bytes = Buffer.from(manifest.text, 'utf8');
    plans.set(manifest.id, {
      md5: manifest.id,
      size: digests.reduce((total, digest) => total + digest.size, 0),
      nfiles: files.length,
      files: objectsFor(pick),
      manifests: [{ key: objectKey(manifest.id, layout), size: bytes.length, source: { kind: 'bytes', bytes } }],
    });
  }
  return [...plans.values()];
}
