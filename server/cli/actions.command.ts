// `cairn actions`: what the actions folder holds, as `cairn start` would load it — each team action's
// name, title and file, then the built-ins. A module that cannot be used fails as start-up would.
import path from 'node:path';
import { builtinActions } from '../actions/builtin.actions.js';
import { DEFAULT_ACTIONS_DIR, loadTeamActions } from '../actions/team-actions.js';
import type { Config } from '../config.js';

export async function actionsCommand(config: Pick<Config, 'CAIRN_ACTIONS_DIR'>, print: (line: string) => void): Promise<number> {
  const folder = path.resolve(config.CAIRN_ACTIONS_DIR ?? DEFAULT_ACTIONS_DIR);
  const team = await loadTeamActions(config);
  if (team.length === 0) {
    print(`no team actions in ${folder} (CAIRN_ACTIONS_DIR)`);
  } else {
    const rows = team.map(({ definition, module }) => [definition.name, definition.title ?? '', path.join(path.relative(process.cwd(), folder) || '.', module.file)]);
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length), ['NAME', 'TITLE'][column].length));
    const line = (row: string[]) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd();
    print(line(['NAME', 'TITLE', 'FILE']));
    for (const row of rows) print(line(row));
    print(`${team.length} team action${team.length === 1 ? '' : 's'} from ${folder}`);
  }
  print(`built in: ${builtinActions.map((action) => action.name).join(', ')}`);
  return 0;
}
