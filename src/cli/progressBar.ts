import cliProgress from 'cli-progress';
import type { CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

export interface ProgressReporter {
  update(label: string, value: number, total?: number): void;
  stop(): void;
}

/** A progress bar on a terminal (standard error), silence elsewhere so that pipes and logs stay clean. */
export function progressReporter(ctx: CliContext): ProgressReporter {
  if (!ctx.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: ' {label} [{bar}] {percentage}% | {value}/{total}', stream: ctx.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let currentLabel = '';
  return {
    update(label, value, total) {
      if (!started || label !== currentLabel) {
        if (started) bar.stop();
        bar.start(total ?? Math.max(value, 1), value, { label: terminalSafeText(label) });
        started = true;
        currentLabel = label;
      }
      if (total !== undefined) bar.setTotal(total);
      else if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value, { label: terminalSafeText(label) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
