/**
 * Entry point of a validation worker thread (see {@link ValidationPool}): loads its own
 * ValidationService once, then validates the batches the pool sends and answers each in one message.
 * Built as its own file beside the bundles (`dist/parallel-worker.js`) so `new Worker(url)` finds it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fatalOutcome, type FromWorker, type ToWorker, type WorkerJob, type WorkerResult, type WorkerSetup } from './parallel-protocol.js';
import { createValidationService, type ValidationService } from './service.js';

const port = parentPort;
if (!port) throw new Error('parallel-worker runs only as a worker thread started by ValidationPool');
const setup = workerData as WorkerSetup;
const post = (message: FromWorker): void => port.postMessage(message);

let service: ValidationService | undefined;
try {
  service = await createValidationService(setup.service);
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}

if (service) {
  const ready = service;
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      port.close();
      return;
    }
    const results = message.jobs.map((job) => validateJob(ready, job));
    post({ type: 'done', id: message.id, results, heapUsed: process.memoryUsage().heapUsed });
  });
  post({ type: 'ready' });
}

function validateJob(svc: ValidationService, job: WorkerJob): WorkerResult {
  try {
    const { outcome, resource } = svc.validateText(job.text, {
      ...(job.format ? { format: job.format } : {}),
      ...(setup.profiles ? { profiles: setup.profiles } : {}),
      withResource: setup.withResource === true,
    });
    return resource === undefined ? { outcome } : { outcome, resource };
  } catch {
    // validateText promises not to throw; if it ever does, the payload is reported, not the batch lost.
    return { outcome: fatalOutcome('The validator failed on this payload (an internal error)') };
  }
}
