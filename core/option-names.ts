/**
 * How a front door names an option in what the user reads: the CLI says `--model`, an action
 * `model:`. Core never picks. A line it logs takes the front door's `SpellOption`; a `UserError`
 * carries a message worded by one (`new UserError((option) => ...)`), which the front door renders:
 * the CLI prints `message` (CLI wording), an action `messageFor(actionInput)`.
 */
export type OptionName =
  | 'model'
  | 'data'
  | 'target'
  | 'features'
  | 'task'
  | 'device'
  | 'name'
  | 'baseline'
  | 'gate'
  | 'no-gate'
  | 'force'
  | 'gpu'
  | 'params'
  | 'metrics'
  | 'timeout-minutes'
  | 'training-record'
  | 'shard'
  | 'bootstrap'
  | 'columns';

export type SpellOption = (option: OptionName) => string;

export const cliOption: SpellOption = (option) => `--${option}`;

/** Boolean inputs are named with the value that turns them on: `no-gate: true`. */
export const actionInput: SpellOption = (option) =>
  option === 'no-gate' || option === 'force' ? `${option}: true` : `${option}:`;
