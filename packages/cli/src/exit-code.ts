/** The exit codes of `adjoint`, as docs/design.md promises (the contract, 2) and `--help` prints. */
export const ExitCode = {
  /** Everything generated or up to date; warnings are allowed. */
  Success: 0,
  /** An error diagnostic, a stale companion in `--check`, a missing input or an I/O failure. */
  Failure: 1,
  /** The command line itself is wrong: unknown option, missing value, no inputs. */
  Usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
