import { performance } from 'node:perf_hooks';

export interface EventLoopReport {
  /**
   * The most time the event loop spent running code between two ticks of a 10 ms timer (from
   * performance.eventLoopUtilization): how long our own work held it. Time the operating system gave
   * to other processes while the loop was idle is not in it, so a busy shared machine does not count.
   */
  maxBusyMs: number;
  /** The longest wall-clock gap between two ticks, minus the 10 ms: what a client waited at worst. */
  maxGapMs: number;
  ticks: number;
}

/** Starts probing the event loop every 10 ms; `stop` ends it and reports the worst stretch. */
export function probeEventLoop(): { stop: () => EventLoopReport } {
  let maxBusyMs = 0;
  let maxGapMs = 0;
  let ticks = 0;
  let last = performance.now();
  let utilization = performance.eventLoopUtilization();
  // The stretch since the last tick counts too: a loop held until `stop` never ticks at all.
  const measure = (): void => {
    const now = performance.now();
    const since = performance.eventLoopUtilization(utilization);
    utilization = performance.eventLoopUtilization();
    maxBusyMs = Math.max(maxBusyMs, since.active);
    maxGapMs = Math.max(maxGapMs, now - last - 10);
    last = now;
  };
  const timer = setInterval(() => {
    measure();
    ticks++;
  }, 10);
  let report: EventLoopReport | undefined;
  return {
    stop: () => {
      if (!report) {
        clearInterval(timer);
        measure();
        report = { maxBusyMs, maxGapMs, ticks };
      }
      return report;
    },
  };
}
