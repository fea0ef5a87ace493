/** AWS Lambda entry (dist/lambda.js, export `handler`); configuration as the server's (app-env.ts). */
import { createProbot } from 'probot';
import { checkAppEnv } from './app-env.ts';
import { createCairnLambda } from './lambda-handler.ts';
import { appOctokitOptions } from './octokit.ts';

checkAppEnv(process.env);

export const handler = createCairnLambda(
  createProbot({ env: process.env, overrides: appOctokitOptions({ env: process.env }) }),
);
