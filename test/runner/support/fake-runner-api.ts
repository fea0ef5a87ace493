/**
 * GitHub's self-hosted runner endpoints on the OpenAPI-checked fake (test/support/github-api.ts):
 * JIT registrations and deletions, with the runners GitHub would list. A test scripts one DELETE's
 * answer (`busyOnNextDelete`) to play a job assigned in the same moment.
 */
import { githubApi, githubError, type GithubApi, type GithubRequest } from '../../support/github-api.ts';
import { encodeJitConfig, type FakeRunnerLogEntry } from './fake-actions-runner.ts';

export interface Registration {
  id: number;
  name: string;
  labels: string[];
  runnerGroupId: number;
  deleted: boolean;
}

export interface FakeRunnerApi {
  gh: GithubApi;
  registrations: Registration[];
  /** The next DELETE answers 422 (busy); `beforeAnswer` runs first (e.g. queue the job that made it busy). */
  busyOnNextDelete(beforeAnswer?: () => void): void;
}

const JIT_ROUTE = 'POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig';
const ORG_JIT_ROUTE = 'POST /orgs/{org}/actions/runners/generate-jitconfig';
const DELETE_ROUTE = 'DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}';
const ORG_DELETE_ROUTE = 'DELETE /orgs/{org}/actions/runners/{runner_id}';

/**
 * On the in-process fake (nock), or on `gh`, e.g. the HTTP fake a separate cairn process talks to.
 * `runnerLog` is the fake runners' log: as GitHub does, DELETE answers 422 for a runner in a job.
 */
export function fakeRunnerApi(
  t: { after(fn: () => void): void },
  runnerLog: () => FakeRunnerLogEntry[],
  gh: GithubApi = githubApi(t, { validateResponses: true }),
): FakeRunnerApi {
  const registrations: Registration[] = [];
  let busyNext: (() => void) | undefined;

  const register = (request: GithubRequest<{ name: string; labels: string[]; runner_group_id: number }>) => {
    const id = 100 + registrations.length;
    const { name, labels, runner_group_id } = request.body;
    registrations.push({ id, name, labels, runnerGroupId: runner_group_id, deleted: false });
    return {
      status: 201,
      data: {
        runner: {
          id,
          name,
          os: 'unknown',
          status: 'offline',
          busy: false,
          runner_group_id,
          labels: labels.map((label, index) => ({ id: index + 1, name: label, type: 'custom' })),
        },
        encoded_jit_config: encodeJitConfig(id),
      },
    };
  };
  const remove = (request: GithubRequest) => {
    const registration = registrations.find((r) => r.id === Number(request.params.runner_id) && !r.deleted);
    if (!registration) return githubError(404, 'Not Found');
    const log = runnerLog().filter((e) => e.runnerId === registration.id);
    const inJob = log.some((e) => e.event === 'job') && !log.some((e) => e.event === 'exit');
    if (inJob) return githubError(422, `Bad request - Runner "${registration.name}" is still running a job"`);
    if (busyNext) {
      const before = busyNext;
      busyNext = undefined;
      before();
      return githubError(422, `Bad request - Runner "${registration.name}" is still running a job"`);
    }
    registration.deleted = true;
    return { status: 204 };
  };
  gh.on(JIT_ROUTE, register).on(ORG_JIT_ROUTE, register).on(DELETE_ROUTE, remove).on(ORG_DELETE_ROUTE, remove);
  return {
    gh,
    registrations,
    busyOnNextDelete: (beforeAnswer = () => {}) => void (busyNext = beforeAnswer),
  };
}
