// The serverless adapter's request handler, imported without the package index: the index
// `require`s probot, which only works once bundled (tsx's CommonJS loader cannot load probot's ESM
// dependencies), and all it adds is `probot.load(app)` and a bind.
declare module '@probot/adapter-aws-lambda-serverless/lambda-function.js' {
  import type { Probot } from 'probot';
  const lambdaFunction: (
    probot: Probot,
    event: unknown,
    context: unknown,
  ) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }>;
  export default lambdaFunction;
}
