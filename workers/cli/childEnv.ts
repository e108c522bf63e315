// The environment variable that makes scan2print a batch child: it then takes its one scan from the
// parent over IPC (batch.ts) instead of from the command line.
export const CHILD_ENV = 'SCAN2PRINT_BATCH_CHILD';
