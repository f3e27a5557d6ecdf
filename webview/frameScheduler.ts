/**
 * The view's one animation-frame scheduler: every drawing (the table's rows on scroll, the
 * timeline, a heat-map after a theme change) asks it for the next frame; a task asked for
 * several times before that frame runs once, and all of them run in the same frame.
 */
export type FrameTask = () => void;

export interface FrameScheduler {
  /** Runs `task` in the next frame (once, however often it is asked for before then). */
  schedule(task: FrameTask): void;
  /** Drops a task that no longer has anything to draw (its view is gone). */
  cancel(task: FrameTask): void;
  /** How many frames have run (tests and benchmarks count them). */
  readonly frames: number;
}

/** `requestFrame` is the page's requestAnimationFrame (a stand-in in unit tests). */
export function frameScheduler(requestFrame: (run: () => void) => unknown): FrameScheduler {
  let queued = new Set<FrameTask>();
  let requested = false;
  let frames = 0;
  const run = () => {
    requested = false;
    frames++;
    // tasks asked for while these run (a redraw that schedules another) wait for the next frame
    const tasks = queued;
    queued = new Set();
    for (const t of tasks) t();
  };
  return {
    schedule(task) {
      queued.add(task);
      if (!requested) {
        requested = true;
        requestFrame(run);
      }
    },
    cancel(task) {
      queued.delete(task);
    },
    get frames() {
      return frames;
    },
  };
}
