import { checkModelName, modelNameToTag } from '../registry/index.ts';

export const RETRAIN_BRANCH_PREFIX = 'cairn/retrain/';

/**
 * The one branch a model's retraining proposals live on: `cairn/retrain/<model>`, a monorepo model
 * written as in its tags (`dir=name`). The name is checked against the registry grammar first, which
 * also keeps it a valid git ref: no spaces, `..`, `~^:?*[\` or control characters.
 */
export function retrainBranch(model: string): string {
  return `${RETRAIN_BRANCH_PREFIX}${modelNameToTag(checkModelName(model))}`;
}

/** The hidden line that finds our "kept the champion" comment on the open pull request. */
export function retrainMarker(model: string): string {
  return `<!-- cairn:${modelNameToTag(checkModelName(model))}:retrain -->`;
}
