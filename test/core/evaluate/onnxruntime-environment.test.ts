import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOnnxruntimeDefaults } from '../../../core/onnxruntime-environment.ts';

test("onnxruntime's telemetry is turned off (it segfaults on long command lines) unless the user set the variable", () => {
  const unset: NodeJS.ProcessEnv = {};
  applyOnnxruntimeDefaults(unset);
  assert.equal(unset.ORT_DISABLE_TELEMETRY, '1');
  const empty: NodeJS.ProcessEnv = { ORT_DISABLE_TELEMETRY: '' };
  applyOnnxruntimeDefaults(empty);
  assert.equal(empty.ORT_DISABLE_TELEMETRY, '1', 'an empty value is no choice');
  const chosen: NodeJS.ProcessEnv = { ORT_DISABLE_TELEMETRY: '0' };
  applyOnnxruntimeDefaults(chosen);
  assert.equal(chosen.ORT_DISABLE_TELEMETRY, '0');
});
