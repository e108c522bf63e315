// The exit codes of scan2print, and the error that carries one. dicom2stl's own codes keep their
// meaning (1: not CT with --ct, 2: usage, as argparse, 3: the double threshold is not 4 values,
// 4: no valid input); the rest are ours. With several scans the command exits with the highest code
// any scan gave, so 0 means every scan succeeded.

export const EXIT = {
  ok: 0,
  /** --ct and the scan is not CT (dicom2stl: "Imaging modality is not CT. Exiting.") */
  notCt: 1,
  /** unknown option, missing or bad value, options that contradict each other */
  usage: 2,
  /** -d/--double is not four ascending numbers (dicom2stl exits 3 when it is not four) */
  thresholds: 3,
  /** an input path that does not exist, a folder or file with no scan in it, --search matching no series */
  noScan: 4,
  /** the input holds a scan but a file of it is damaged or unreadable (named in the message) */
  damaged: 5,
  /** the scan loaded but nothing is in the threshold range (or the labels are empty): no model */
  emptyModel: 6,
  /** the output could not be written (folder missing and not creatable, permissions, disk full) */
  cannotWrite: 7,
  /** anything unexpected: a bug, or a scan process that died (out of memory); please report it */
  internal: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The lines --help shows under "Exit codes". */
export const EXIT_CODE_HELP: [ExitCode, string][] = [
  [EXIT.ok, 'every scan was converted'],
  [EXIT.notCt, '--ct was given and a scan is not CT'],
  [EXIT.usage, 'usage error: unknown option, bad or missing value, contradicting options'],
  [EXIT.thresholds, '-d/--double is not four ascending numbers'],
  [EXIT.noScan, 'no scan: a path that does not exist, a folder or file with no scan, --search matching nothing'],
  [EXIT.damaged, 'damaged input: a file of the scan is truncated or unreadable (it is named)'],
  [EXIT.emptyModel, 'empty model: nothing of the scan is in the threshold range (or in the labels)'],
  [EXIT.cannotWrite, 'the output file could not be written'],
  [EXIT.internal, 'unexpected error (a bug, or a scan process that ran out of memory)'],
];

/** An error the command explains in one message (no stack trace) and exits with `code`. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
