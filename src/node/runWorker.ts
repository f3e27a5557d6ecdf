import { Worker } from 'node:worker_threads';

/** Messages every worker entry posts: progress, then one result / error / cancelled / crash. */
export type WorkerMessage<R, E> =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  /** A first part of the result, to show while the rest is computed (the analysis before the estimate). */
  | { readonly kind: 'partial'; readonly result: R }
  | { readonly kind: 'result'; readonly result: R }
  | { readonly kind: 'error'; readonly error: E }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'crash'; readonly message: string };

export type WorkerOutcome<R, E> =
  | { readonly ok: true; readonly result: R }
  | { readonly ok: false; readonly error: E }
  | { readonly ok: 'cancelled' };

/** What a worker entry receives: the request and a flag the host raises to cancel. */
export interface WorkerInput<Q> {
  readonly request: Q;
  readonly cancel: SharedArrayBuffer;
}

/** Worker side: the request and a cheap isCancelled() that reads the shared flag. */
export function workerInput<Q>(data: unknown): { request: Q; isCancelled: () => boolean } {
  const input = data as WorkerInput<Q>;
  const flag = new Int32Array(input.cancel);
  return { request: input.request, isCancelled: () => Atomics.load(flag, 0) === 1 };
}

/** How long a cancelled worker may take to stop by itself (and clean up) before it is killed. */
const GRACE_MS = 10_000;

/**
 * JavaScript heap a worker may use. A hostile or enormous model then ends its own worker with a
 * clear error instead of taking the extension host's memory (weights in ArrayBuffers are
 * outside this heap: a 5 GiB external-data model needs a few hundred MiB of it).
 */
export const WORKER_HEAP_MB = 4096;
/** Stack of a worker thread, MiB (Node's default is under 1 MiB). */
export const WORKER_STACK_MB = 256;

/**
 * Runs one job in a worker thread (a dist/*Worker.js bundle). Cancelling raises a shared flag the
 * job polls, so it can remove its temporary files; a worker that does not stop within the grace
 * period is terminated.
 */
export function runWorker<Q, R, E>(
  script: string,
  request: Q,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
  heapMb = WORKER_HEAP_MB,
  onPartial?: (partial: R) => void,
): Promise<WorkerOutcome<R, E>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve({ ok: 'cancelled' });
      return;
    }
    const cancel = new SharedArrayBuffer(4);
    const worker = new Worker(script, {
      workerData: { request, cancel } satisfies WorkerInput<Q>,
      // a large stack: the graph layout (dagre) recurses once per rank of a deep network
      resourceLimits: { maxOldGenerationSizeMb: heapMb, stackSizeMb: WORKER_STACK_MB },
    });
    let settled = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void worker.terminate();
      fn();
    };
    const onAbort = () => {
      Atomics.store(new Int32Array(cancel), 0, 1);
      killTimer = setTimeout(() => settle(() => resolve({ ok: 'cancelled' })), GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage<R, E>) => {
      if (m.kind === 'progress') onProgress(m.done, m.total);
      else if (m.kind === 'partial') {
        if (!settled) onPartial?.(m.result);
      } else if (m.kind === 'result')
        settle(() =>
          resolve(signal?.aborted ? { ok: 'cancelled' } : { ok: true, result: m.result }),
        );
      else if (m.kind === 'error') settle(() => resolve({ ok: false, error: m.error }));
      else if (m.kind === 'cancelled') settle(() => resolve({ ok: 'cancelled' }));
      else settle(() => reject(new Error(`worker failed: ${m.message}`)));
    });
    worker.on('error', (e) =>
      settle(() =>
        reject(
          (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(
                `the job ran out of memory (its worker may use ${heapMb} MiB of JavaScript heap); the extension is unaffected`,
              )
            : e,
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() =>
        signal?.aborted
          ? resolve({ ok: 'cancelled' })
          : reject(new Error(`worker exited with code ${code}`)),
      ),
    );
  });
}
