/**
 * The actions' GitHub client: @actions/github's `getOctokit` with the throttling and retry plugins,
 * as the toolkit composes it (its proxy-aware fetch included), with the options the CLI's client
 * gets too (core/github `clientOptions`). Those carry no `request`: Octokit merges options shallowly,
 * so one here would replace the toolkit's `request.fetch` and with it the runner's proxy settings.
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
