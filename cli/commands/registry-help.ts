/**
 * `cairn registry --help` and each subcommand's own `--help` (`cairn registry assign --help`), from
 * one table: a subcommand's usage lists only the options it reads.
 */

const OPTION_LINES = {
  version: '--version V      the version, vX.Y.Z',
  bump: '--bump PART      the next version after the latest: major, minor or patch (default patch)',
  ref: '--ref REV        the commit (a sha, branch or tag); for register, default HEAD',
  force: '--force          assign a version again that is still assigned to the stage (makes it the holder)',
  deprecated: '--deprecated     list deprecated models too',
  message: '--message TEXT   why (-m); the tag message records it with who (your git user)',
  push: '--push           push the new tags (to --remote, default origin)',
  remote: '--remote NAME    where --push sends the tags (default origin)',
  json: '--json           print JSON',
  repo: '--repo DIR       the git repository (default: the current folder)',
  config: '--config PATH    repository config (default DIR/.github/cairn.yml); its stages are the ones allowed',
} as const;

type OptionName = keyof typeof OPTION_LINES;

interface Subcommand {
  /** The arguments and options, as the usage line shows them. */
  synopsis: string;
  /** The positional arguments it takes. */
  args: string[];
  /** One line for `cairn registry --help`. */
  summary: string;
  about: string;
  options: OptionName[];
}

const CHANGE_OPTIONS: OptionName[] = ['message', 'push', 'remote', 'json', 'repo', 'config'];

export const REGISTRY_SUBCOMMANDS: Record<string, Subcommand> = {
  'parse-tag': {
    summary: 'what a tag means, as JSON',
    synopsis: 'TAG',
    args: ['TAG'],
    about: 'Prints what a registry tag (or refs/tags/TAG) means, as JSON; needs no repository.',
    options: [],
  },
  show: {
    summary: 'models, their latest version and the holder of each stage',
    synopsis: '[--json] [--deprecated]',
    args: [],
    about:
      'Lists the models, their latest version and the version holding each stage, as `gto show` does.\nDeprecated models are left out unless --deprecated is given; a line names them.',
    options: ['json', 'deprecated', 'repo', 'config'],
  },
  register: {
    summary: 'register a version',
    synopsis: 'NAME [--version V | --bump major|minor|patch] [--ref REV]',
    args: ['NAME'],
    about: 'Registers a version of NAME at a commit: the annotated tag NAME@vX.Y.Z.',
    options: ['version', 'bump', 'ref', ...CHANGE_OPTIONS],
  },
  deregister: {
    summary: 'deregister a version',
    synopsis: 'NAME (--version V | --ref REV)',
    args: ['NAME'],
    about: 'Deregisters a version (the tag NAME@vX.Y.Z!); it then holds no stage.',
    options: ['version', 'ref', ...CHANGE_OPTIONS],
  },
  assign: {
    summary: 'assign a version to a stage',
    synopsis: 'NAME STAGE (--version V | --ref REV) [--force]',
    args: ['NAME', 'STAGE'],
    about:
      'Assigns a version to a stage (the tag NAME#STAGE#N). A commit with no version is registered\nfirst, as the next patch version.',
    options: ['version', 'ref', 'force', ...CHANGE_OPTIONS],
  },
  unassign: {
    summary: 'take a version out of a stage',
    synopsis: 'NAME STAGE (--version V | --ref REV)',
    args: ['NAME', 'STAGE'],
    about: 'Takes a version out of a stage (the tag NAME#STAGE!#N).',
    options: ['version', 'ref', ...CHANGE_OPTIONS],
  },
  deprecate: {
    summary: 'deprecate a model',
    synopsis: 'NAME [--ref REV]',
    args: ['NAME'],
    about:
      "Deprecates a model (the tag NAME@deprecated, at its newest event's commit unless --ref);\nany later tag of the model brings it back.",
    options: ['ref', ...CHANGE_OPTIONS],
  },
};

function optionLines(names: readonly OptionName[]): string {
  return names.map((name) => `  ${OPTION_LINES[name]}\n`).join('');
}

export const registryHelp = `Usage: cairn registry <command> [options]

The model registry on git tags, compatible with GTO: name@vX.Y.Z registers a version, name#stage#N
assigns a stage, name@vX.Y.Z! and name#stage!#N cancel them, name@deprecated deprecates a model.

Commands:
${Object.entries(REGISTRY_SUBCOMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(12)} ${summary}\n`)
  .join('')}
Options:
${optionLines(Object.keys(OPTION_LINES) as OptionName[])}
Run \`cairn registry <command> --help\` for one command's arguments and options.
`;

/** One subcommand's usage: what it does and only the options it reads. */
export function registrySubcommandHelp(name: string): string {
  const { synopsis, about, options } = REGISTRY_SUBCOMMANDS[name];
  return `Usage: cairn registry ${name} ${synopsis}${options.length > 0 ? ' [options]' : ''}\n\n${about}\n${options.length > 0 ? `\nOptions:\n${optionLines(options)}` : ''}`;
}
