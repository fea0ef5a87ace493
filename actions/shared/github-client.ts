/**
 * The actions' GitHub client: @actions/github's `getOctokit` with the throttling and retry plugins,
 * as the toolkit composes it (its proxy-aware fetch included), with the options the CLI's client
 * gets too (core/github `clientOptions`). Those carry no `request`: Octokit merges options shallowly,
 * so one there would replace the toolkit's `request.fetch`. Behind a proxy the fetch is core/net's,
 * so the actions, the CLI and the app read HTTPS_PROXY and NO_PROXY by the same (curl's) rules.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { clientOptions, type GitHubClient } from '../../core/github/index.ts';
import { proxiedFetch } from '../../core/net/index.ts';
import { actionLogger } from './action-logger.ts';

export function actionOctokit(
  token: string,
  apiUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): GitHubClient {
  const fetch = proxiedFetch(env);
  const options = {
    ...(apiUrl ? { baseUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...clientOptions({ logger: actionLogger }),
    ...(fetch ? { request: { fetch } } : {}),
  };
  const octokit = getOctokit(token, options, throttling, retry);
  // @actions/github bundles its own release of the endpoint-methods plugin, whose types differ from
  // core's in details core never touches; `rest` and `paginate` are the same.
  return octokit as unknown as GitHubClient;
}
