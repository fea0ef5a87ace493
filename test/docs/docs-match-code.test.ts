/**
 * What the docs say about the code, checked against the code: no "(soon)" for what has shipped,
 * every `cairn ...` command they mention exists (or is said to be coming), and the app's
 * registration steps ask for exactly what app/app.yml does.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { usage } from '../../cli/run.ts';
import { REGISTRY_SUBCOMMANDS } from '../../cli/commands/registry-help.ts';
import { repoRoot, workflowFiles } from '../workflows/workflow-files.ts';

const DOCS = ['README.md', 'app/README.md', 'app/app.yml', 'examples/churn/.github/cairn.yml', ...workflowFiles()];
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

/** The commands `cairn --help` lists. */
const COMMANDS = new Set([...usage.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((match) => match[1]));

describe('the docs match the code', () => {
  test('cairn --help lists the commands this test knows', () => {
    assert.deepEqual([...COMMANDS].sort(), [
      'challenge',
      'demo',
      'drift',
      'evaluate',
      'gpu',
      'pull',
      'push',
      'registry',
      'report',
      'runner',
      'train',
    ]);
  });

  test('no "(soon)" for a feature: what has shipped is described as it is', () => {
    for (const file of DOCS) assert.doesNotMatch(read(file), /\(soon\)/i, file);
  });

  test('every `cairn <command>` the docs and examples mention exists, or the line says it is coming', () => {
    const examples = readdirSync(join(repoRoot, 'examples/churn'))
      .filter((name) => /\.(mjs|md)$/.test(name))
      .map((name) => `examples/churn/${name}`);
    for (const file of [...DOCS, ...examples]) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const [, command, sub] of line.matchAll(/(?<![\w/-])cairn ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
            if (command === 'command' || /is coming/.test(line)) continue;
            assert.ok(
              COMMANDS.has(command),
              `${file}:${i + 1} mentions \`cairn ${command}\`, which does not exist: ${line.trim()}`,
            );
            if (command === 'registry' && sub)
              assert.ok(Object.hasOwn(REGISTRY_SUBCOMMANDS, sub), `${file}:${i + 1}: no \`cairn registry ${sub}\``);
          }
        });
    }
  });

  test("app/README.md's registration steps ask for app.yml's permissions and events, no more, no less", () => {
    const manifest = parseYaml(read('app/app.yml')) as {
      default_permissions: Record<string, string>;
      default_events: string[];
    };
    const readme = read('app/README.md');
    const listed = (label: string) =>
      (new RegExp(`\\*\\*${label}:\\*\\* ([^\\n]+)\\.`).exec(readme)?.[1] ?? '').split(', ');
    const permissions = Object.entries(manifest.default_permissions).map(
      ([scope, level]) => `${scope.replaceAll('_', ' ')} ${level}`,
    );
    assert.deepEqual(listed('Permissions').sort(), permissions.sort());
    assert.deepEqual(
      listed('Events').sort(),
      manifest.default_events.map((event) => event.replaceAll('_', ' ')).sort(),
    );
  });
});
