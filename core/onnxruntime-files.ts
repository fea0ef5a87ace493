/**
 * Where onnxruntime-node keeps its native files. Nothing here imports onnxruntime-node: the setup
 * action looks at these files before it lets the native addon load.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** onnxruntime-node's package folder as Node resolves it from `fromFile`, or undefined when it does not resolve. */
export function onnxruntimePackageDir(fromFile: string | URL): string | undefined {
  try {
    // <package>/dist/index.js -> <package>
    return dirname(dirname(createRequire(fromFile).resolve('onnxruntime-node')));
  } catch {
    return undefined;
  }
}

/** The folder of the native binding and its execution provider libraries. */
export function onnxruntimeBindingDir(
  packageDir: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return join(packageDir, 'bin', 'napi-v6', platform, arch);
}

/** The CUDA execution provider library, which onnxruntime-node's install script downloads (it is not in the npm package). */
export function cudaProviderLibraryName(platform: string = process.platform): string {
  return platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
}
