import { z } from 'zod';
import { METRIC_NAMES, parseGate } from '../metrics/index.ts';

/** The schema of `.github/cairn.yml`. Keys are snake_case like the rest of the YAML users write. */

export const TASKS = ['binary', 'multiclass', 'regression'] as const;
/** GitHub repository permission levels, weakest first (a stage's `promote` is the minimum needed). */
export const PERMISSION_LEVELS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;

// GTO's artifact/stage name grammar, with the optional monorepo `dir:` prefix for model names.
const GTO_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-/_]*[a-zA-Z0-9])?$/;
const MODEL_NAME = /^(?:[^:\s]+:)?[a-zA-Z0-9](?:[a-zA-Z0-9\-/_]*[a-zA-Z0-9])?$/;
const NAME_RULE = 'letters, digits, "-", "_" and "/", starting and ending with a letter or digit';

/** An object that rejects unknown keys (typos such as `intented_use`) and lists the valid ones. */
function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; valid keys here: ${valid}` : undefined),
  });
}

const text = z.string({ error: 'expected text' });

/** Checked with the real gate parser, so a bad gate fails when the config is read, not at deploy time. */
const gateExpression = text.superRefine((value, ctx) => {
  try {
    parseGate(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

// A workflow file name as the workflow_dispatch API wants it; `.github/workflows/` is stripped.
const workflowFile = text
  .regex(
    /^(?:\.github\/workflows\/)?[\w.-]+\.ya?ml$/,
    'expected a workflow file name such as deploy.yml (in .github/workflows/)',
  )
  .transform((value) => value.replace(/^\.github\/workflows\//, ''));

/** Model card fields (Mitchell et al.); whatever is left out is shown as "not provided", never guessed. */
export const modelCardSchema = strict({
  developers: text.optional(),
  license: text.optional(),
  citation: text.optional(),
  contact: text.optional(),
  intended_use: text.optional(),
  out_of_scope_use: text.optional(),
  factors: text.optional(),
  training_data: text.optional(),
  evaluation_data: text.optional(),
  ethical_considerations: text.optional(),
  limitations: text.optional(),
  recommendations: text.optional(),
});

export const modelConfigSchema = strict({
  /** Where the ONNX model file is (or where training writes it), relative to the repository root. */
  path: text.min(1, 'expected a path to the model file'),
  task: z.enum(TASKS, { error: `expected one of ${TASKS.join('|')}` }).optional(),
  /** Free text: "gradient boosting", "logistic regression"... */
  type: text.optional(),
  description: text.optional(),
  /** Object store URI for this model's artifacts (s3://bucket/prefix, file:///path). */
  store: text.min(1).optional(),
  /**
   * The feature columns in the model's input order; used when neither --features nor the action's
   * `features:` names them (those override it). A wide model's list lives here, not on a command line.
   */
  features: z
    .array(text.trim().min(1, 'expected a column name'), { error: 'expected a list of column names' })
    .min(1, 'expected at least one column name; leave features out to use every column but the target')
    .superRefine((names, ctx) => {
      const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
      if (repeated.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `lists ${repeated.map((name) => JSON.stringify(name)).join(', ')} more than once`,
        });
    })
    .optional(),
  /** Class names in the order of the model's class indices, for display. */
  labels: z.array(text, { error: 'expected a list of class names' }).optional(),
  /** Binary models: predict the positive class when its probability is >= this (default: the model's own decision). */
  threshold: z
    .number({ error: 'expected a number between 0 and 1' })
    .gt(0, 'expected a number between 0 and 1')
    .lt(1, 'expected a number between 0 and 1')
    .optional(),
  card: modelCardSchema.optional(),
  /** Gate per stage; `default` applies to pull requests and to stages without their own. */
  gates: z.record(z.string(), gateExpression, { error: 'expected a map of stage name -> gate expression' }).optional(),
}).superRefine((model, ctx) => {
  if (model.threshold !== undefined && model.task !== undefined && model.task !== 'binary') {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold'],
      message: `a decision threshold applies to binary models; this one is ${model.task}`,
    });
  }
  if (!model.task || !model.gates) return;
  const valid = METRIC_NAMES[model.task];
  for (const [stage, expression] of Object.entries(model.gates)) {
    let rules;
    try {
      rules = parseGate(expression);
    } catch {
      continue; // already reported by gateExpression
    }
    for (const rule of rules.filter((r) => !valid.includes(r.metric))) {
      ctx.addIssue({
        code: 'custom',
        path: ['gates', stage],
        message: `"${rule.metric}" is not computed for ${model.task} models; use one of: ${valid.join(', ')}`,
      });
    }
  }
});

// `production:` with nothing under it is a stage with the defaults.
const stageConfigSchema = z.preprocess(
  (value) => value ?? {},
  strict({
    /** The minimum repository permission needed to promote a model to this stage. */
    promote: z.enum(PERMISSION_LEVELS, { error: `expected one of ${PERMISSION_LEVELS.join('|')}` }).default('write'),
    /** The GitHub environment the deploy job runs in (required reviewers live there). */
    environment: text.min(1).optional(),
    /** Deploy workflow for this stage; overrides `deploy.workflow`. */
    workflow: workflowFile.optional(),
  }),
);

/** Where evaluation records may come from besides the GitHub Actions app (core/github/evidence-source.ts). */
const evidenceSchema = strict({
  /** GitHub App ids (numbers, as on the app's settings page) whose `cairn: <model>` check runs count as evidence. */
  trusted_apps: z
    .array(
      z
        .int({ error: 'expected a GitHub App id (a whole number)' })
        .positive('expected a GitHub App id (a positive whole number)'),
      { error: 'expected a list of GitHub App ids' },
    )
    .default([]),
});

const commentSchema = strict({
  charts: z.boolean({ error: 'expected true or false' }).default(true),
  card: z.boolean({ error: 'expected true or false' }).default(true),
  confusion_matrix: z.boolean({ error: 'expected true or false' }).default(true),
  /** Per-class rows in the PR comment before it summarises (the job summary has them all). */
  max_classes: z.int({ error: 'expected a whole number' }).min(1).max(1000).default(20),
});

/** What the scheduled retraining workflow does with a challenger that beat the production model. */
export const ON_PROMOTE = ['pr', 'register'] as const;

const retrainSchema = strict({
  /**
   * `pr`: open (or update) one pull request per model on `cairn/retrain/<model>`; a person merges
   * it. `register`: register the next version on the commit pushed to that branch, no pull request.
   */
  on_promote: z.enum(ON_PROMOTE, { error: `expected one of ${ON_PROMOTE.join('|')}` }).default('pr'),
});

export const repoConfigSchema = z
  .preprocess(
    (value) => value ?? {}, // an empty file is a valid, empty config
    strict({
      models: z
        .record(z.string().regex(MODEL_NAME, `model names use ${NAME_RULE}`), modelConfigSchema, {
          error: 'expected a map of model name -> model settings',
        })
        .prefault({}),
      stages: z
        .record(z.string().regex(GTO_NAME, `stage names use ${NAME_RULE}`), stageConfigSchema, {
          error: 'expected a map of stage name -> stage settings',
        })
        .prefault({}),
      deploy: strict({ workflow: workflowFile, ref: text.min(1).optional() }).optional(),
      registry: strict({
        /**
         * Bots whose tag pushes are honoured (`github-actions[bot]`, `renovate[bot]`): any other bot's
         * registry tags are not, since no person's permission stands behind them.
         */
        trusted_bots: z
          .array(text.regex(/^[A-Za-z0-9][A-Za-z0-9-]*\[bot\]$/, 'expected a bot login such as github-actions[bot]'), {
            error: 'expected a list of bot logins',
          })
          .default([]),
      }).prefault({}),
      comment: commentSchema.prefault({}),
      evidence: evidenceSchema.optional(),
      retrain: retrainSchema.optional(),
    }),
  )
  .superRefine((config, ctx) => {
    // A gate for a stage nobody defined is almost always a typo (`prod` for `production`).
    const stages = Object.keys(config.stages);
    for (const [name, model] of Object.entries(config.models)) {
      for (const stage of Object.keys(model.gates ?? {})) {
        if (stage === 'default' || stages.includes(stage)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['models', name, 'gates', stage],
          message: `no stage "${stage}" in stages; add stages.${stage} or use one of: ${['default', ...stages].join(', ')}`,
        });
      }
    }
  });

export type RepoConfig = z.output<typeof repoConfigSchema>;
export type ModelConfig = z.output<typeof modelConfigSchema>;
export type ModelCardFields = z.output<typeof modelCardSchema>;
export type StageConfig = RepoConfig['stages'][string];
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];
export type OnPromote = (typeof ON_PROMOTE)[number];
