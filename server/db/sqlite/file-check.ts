// What can be wrong with the SQLite file a DATABASE_URL names, said in one line that names the file:
// not there to be made, a folder, read-only (the file or its folder, where SQLite writes its -wal
// and -shm files), not a database, corrupt, or another application's database. Start-up prints it
// and exits with code 2 instead of a stack trace (server/cli/main.ts).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`database ${file} ${problem}`.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'DatabaseFileError';
  }
}

const writable = (target: string) => {
  try {
    accessSync(target, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** Before opening: the file (if it exists) and its folder must be readable and writable. */
export function checkFileAccess(file: string): void {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new DatabaseFileError(absolute, 'is a folder, not a database file');
  if (stat && !writable(absolute)) throw new DatabaseFileError(absolute, 'is read-only: Cairn writes to its database; make the file writable by this user');
  if (!writable(dir)) {
    throw new DatabaseFileError(absolute, `is in a read-only folder (${dir}): SQLite writes its -wal and -shm files beside the database; make the folder writable by this user`);
  }
}

/** A SQLite error met while opening or migrating, as the problem with the file. */
export function describeOpenError(file: string, error: unknown): DatabaseFileError {
  if (error instanceof DatabaseFileError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message ?? String(error);
  const absolute = path.resolve(file);
  if (code === 'SQLITE_NOTADB') return new DatabaseFileError(absolute, 'is not a SQLite database (a damaged file, or another kind of file)', { cause: error });
  if (code.startsWith('SQLITE_CORRUPT')) return new DatabaseFileError(absolute, `is corrupt (${message}); restore it from a backup`, { cause: error });
  if (code.startsWith('SQLITE_READONLY')) return new DatabaseFileError(absolute, `is read-only (${message}); Cairn must be able to write to it and to its folder`, { cause: error });
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new DatabaseFileError(absolute, `cannot be opened (${message}); check that it and its folder exist and are writable`, { cause: error });
  }
  // Our own refusals (migrate.ts) read as a sentence after the file name; anything else is quoted.
  if (/^(is|was) /.test(message)) return new DatabaseFileError(absolute, message, { cause: error });
  return new DatabaseFileError(absolute, `cannot be used: ${message}`, { cause: error });
}
