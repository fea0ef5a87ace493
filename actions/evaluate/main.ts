import { applyOnnxruntimeDefaults } from '../../core/onnxruntime-environment.ts';
import { runAction } from '../shared/action-logger.ts';
import { run } from './run.ts';

applyOnnxruntimeDefaults(process.env);
await runAction(run);
