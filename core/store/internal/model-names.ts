/**
 * Model names, versions and stages as the registry writes them (GTO's grammar), checked before they
 * become object keys under `models/`.
 *
 * A monorepo model `dir:name` (GTO writes it `dir=name` in tags) is accepted in either form and kept
 * under one key segment, `models/dir=name/...`, so both spellings find the same artifacts; pointers
 * record the `dir:name` form that `.github/cairn.yml` uses. A name may hold `/`, so a segment called
 * `versions`, `stages` or `sha256` is refused: `a/versions` would otherwise share keys with `a`.
 */
import { UserError } from '../../errors.ts';
import { isName, isVersion, NAME_RULE as REGISTRY_NAME_RULE } from '../../registry/index.ts';

/** The registry's rule, and no empty key segment. */
const NAME_RULE = `${REGISTRY_NAME_RULE}, with no empty part ("//")`;
const DIR_SEGMENT = /^[a-zA-Z0-9._-]+$/;
const RESERVED_SEGMENTS = new Set(['versions', 'stages', 'sha256']);

export interface ModelName {
  /** As pointers record it: `name`, or `dir:name` for a monorepo model. */
  name: string;
  /** As it appears in object keys: `name`, or `dir=name`. */
  keyName: string;
}

/** Checks a model name (`name`, `dir:name` or `dir=name`); a UserError says what is wrong. */
export function parseModelName(raw: string): ModelName {
  const cut = raw.search(/[:=]/);
  const dir = cut < 0 ? undefined : raw.slice(0, cut);
  const name = cut < 0 ? raw : raw.slice(cut + 1);
  if (!isName(name) || name.includes('//')) {
    throw new UserError(
      `invalid model name ${JSON.stringify(raw)}: use ${NAME_RULE}${cut < 0 ? '' : ' after the "dir:" prefix'}.`,
    );
  }
  const reserved = name.split('/').find((segment) => RESERVED_SEGMENTS.has(segment));
  if (reserved !== undefined) {
    throw new UserError(
      `invalid model name ${JSON.stringify(raw)}: "${reserved}" is a folder of the model store's layout and cannot be part of a name. Rename the model.`,
    );
  }
  if (dir === undefined) return { name, keyName: name };
  const segments = dir.split('/');
  if (segments.some((segment) => !DIR_SEGMENT.test(segment) || segment === '.' || segment === '..')) {
    throw new UserError(
      `invalid model name ${JSON.stringify(raw)}: the monorepo folder before ":" must be a relative path of letters, digits, ".", "-" and "_" ` +
        '(no empty, "." or ".." parts), e.g. models/churn:classifier.',
    );
  }
  return { name: `${dir}:${name}`, keyName: `${dir}=${name}` };
}

/** Checks a version: `v` and a semantic version, e.g. v1.2.0 or v2.0.0-rc.1, as the registry's tags write it. */
export function checkModelVersion(version: string): string {
  if (!isVersion(version)) {
    throw new UserError(
      `invalid model version ${JSON.stringify(version)}: use "v" and a semantic version, e.g. v1.2.0.`,
    );
  }
  return version;
}

/** Checks a stage name (GTO's grammar, no monorepo prefix), e.g. `staging` or `prod`. */
export function checkStageName(stage: string): string {
  if (!isName(stage) || stage.includes('//'))
    throw new UserError(`invalid stage name ${JSON.stringify(stage)}: use ${NAME_RULE}.`);
  return stage;
}
