/** Errors the CLI reports as one line: usage mistakes exit 2, everything else 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Extra lines printed after the message (e.g. a server's stderr). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, readonly command?: string) {
    super(message, 2);
  }
}
