// An error the CLI prints as it is, without a stack: the user's input was wrong.
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
