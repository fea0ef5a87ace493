/**
 * The actions' GitHub client: @actions/github's `getOctokit` with the throttling and retry plugins,
 * as the toolkit composes it (its proxy-aware fetch included), with the options the CLI's client
 * gets too (core/github `clientOptions`).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { clientOptions, type GitHubClient } from '../../core/github/index.ts';
import { actionLogger } from './action-logger.ts';

export function actionOctokit(token: string, apiUrl: string | undefined): GitHubClient {
  const octokit = getOctokit(token, { ...(apiUrl ? { baseUrl: apiUrl.replace(/\/+$/, '') } : {}), ...clientOptions({ logger: actionLogger }) }, throttling, retry);
  // @actions/github bundles its own release of the endpoint-methods plugin, whose types differ from
  // core's in details core never touches; `rest` and `paginate` are the same.
  return octokit as unknown as GitHubClient;
}
