/**
 * git, read-only subcommands only: status, diff, log, show, branch (list),
 * tag (list), rev-parse, ls-files, ls-tree, blame, describe, shortlog,
 * merge-base, cat-file, stash list, remote -v. Never options that point git
 * elsewhere or make it run programs (`-C`, `-c`, `--git-dir`, `--work-tree`,
 * `--exec-path`, `--ext-diff`, `--textconv`, `--output`, `--no-index` …).
 * Revisions and paths are checked as paths (`HEAD:.env` checks `.env`).
 */
import { isGitExecKey } from '../hooks';
import { repositoryGitConfig } from './gitConfig';
import { checkPath, has, kinds, readArgs, type OptionTable, type Parsed, type ProgramContext, type ProgramTable, type ValueKind, type Verdict } from './table';

const RUNS_PROGRAM = 'makes git run another program';
const ELSEWHERE = 'points git at another folder or repository';

const GLOBAL: OptionTable = {
  options: kinds('flag', '--no-pager -P --no-optional-locks --literal-pathspecs --glob-pathspecs --noglob-pathspecs --icase-pathspecs --no-replace-objects --version'),
  refused: {
    '-C': ELSEWHERE,
    '--git-dir': ELSEWHERE,
    '--work-tree': ELSEWHERE,
    '--namespace': ELSEWHERE,
    '--bare': ELSEWHERE,
    '-c': `changes git configuration for the command (it ${RUNS_PROGRAM} through settings such as core.pager or an alias)`,
    '--config-env': `changes git configuration for the command (it ${RUNS_PROGRAM})`,
    '--exec-path': `${RUNS_PROGRAM} from another folder`,
    '-p': `pages the output through a program`,
    '--paginate': `pages the output through a program`,
  },
  stopAtOperand: true,
};

const DIFF_REFUSED: Readonly<Record<string, string>> = {
  '--output': 'writes the output to a file',
  '--ext-diff': RUNS_PROGRAM,
  '--textconv': RUNS_PROGRAM,
  '--no-index': 'compares files outside the repository',
  '--show-signature': 'runs gpg',
  '-L': 'is not read by Tandem (it names files inside its value)',
};

const DIFF_FORMAT = {
  ...kinds('flag', '-p -u --patch -s --no-patch --raw --patch-with-raw --patch-with-stat --stat --numstat --shortstat --compact-summary --summary --name-only --name-status'),
  ...kinds('flag', '--check --full-index --binary --minimal --patience --histogram --no-color --no-renames --no-ext-diff --no-textconv --text -a -R -w -b -W -D -z'),
  ...kinds('flag', '--ignore-all-space --ignore-space-change --ignore-space-at-eol --ignore-blank-lines --ignore-cr-at-eol --exit-code --quiet --no-prefix --default-prefix'),
  ...kinds('flag', '--function-context --irreversible-delete --pickaxe-all --pickaxe-regex --indent-heuristic --no-indent-heuristic --ita-invisible-in-index'),
  ...kinds('optional', '--color --color-moved --color-words --word-diff --abbrev --relative --find-renames -M --find-copies -C --dirstat --submodule --ignore-submodules -U'),
  ...kinds('text', '--word-diff-regex --diff-filter --src-prefix --dst-prefix --unified --inter-hunk-context --diff-algorithm --stat-width --stat-count -S -G --anchored'),
  ...kinds('text', '--skip-to --rotate-to --line-prefix'),
  ...kinds('path', '-O'),
};

const LOG_OPTIONS = {
  ...DIFF_FORMAT,
  ...kinds('text', '-n --max-count --skip --since --after --until --before --author --committer --grep --min-parents --max-parents --format --date --decorate-refs'),
  ...kinds('flag', '--all-match --invert-grep -i --regexp-ignore-case -E --extended-regexp -F --fixed-strings --merges --no-merges --first-parent --all --oneline --graph'),
  ...kinds('flag', '--no-decorate --abbrev-commit --no-abbrev-commit --relative-date --reverse --follow --topo-order --date-order --author-date-order --left-right'),
  ...kinds('flag', '--cherry-pick --cherry-mark --boundary --simplify-by-decoration --full-history --no-notes --mailmap --use-mailmap --ancestry-path --parents --children'),
  ...kinds('flag', '--source --log-size -g --walk-reflogs -m -c --cc --no-merges --remove-empty --count'),
  ...kinds('optional', '--branches --tags --remotes --decorate --pretty --no-walk --diff-merges --notes'),
};

function table(options: Readonly<Record<string, ValueKind>>, numeric = false): OptionTable {
  return { options, refused: DIFF_REFUSED, numeric };
}

const SUBCOMMANDS: Readonly<Record<string, OptionTable>> = {
  status: table({
    ...kinds('flag', '-s --short -b --branch --long -v --verbose -z --no-column --ahead-behind --no-ahead-behind --renames --no-renames --show-stash'),
    ...kinds('optional', '--porcelain -u --untracked-files --ignored --column --find-renames --ignore-submodules'),
  }),
  diff: table({ ...DIFF_FORMAT, ...kinds('flag', '--cached --staged --merge-base --base --ours --theirs -1 -2 -3 -0') }),
  log: table(LOG_OPTIONS, true),
  show: table(LOG_OPTIONS, true),
  shortlog: table({ ...LOG_OPTIONS, ...kinds('flag', '-n --numbered -s --summary -e --email --committer'), ...kinds('text', '--group'), ...kinds('optional', '-w') }, true),
  branch: table({
    ...kinds('flag', '-a --all -r --remotes -v --verbose -l --list --show-current --no-color --no-abbrev --no-column -i --ignore-case --omit-empty'),
    ...kinds('optional', '--color --abbrev --column'),
    ...kinds('text', '--sort --format --contains --no-contains --merged --no-merged --points-at'),
  }),
  tag: table({
    ...kinds('flag', '-l --list -i --ignore-case --no-column'),
    ...kinds('optional', '-n --column --color'),
    ...kinds('text', '--sort --contains --no-contains --merged --no-merged --points-at --format'),
  }),
  'rev-parse': table({
    ...kinds('flag', '--verify -q --quiet --show-toplevel --show-prefix --show-cdup --is-inside-work-tree --is-inside-git-dir --is-bare-repository --is-shallow-repository'),
    ...kinds('flag', '--symbolic --symbolic-full-name --all --absolute-git-dir --git-common-dir --show-superproject-working-tree'),
    ...kinds('optional', '--abbrev-ref --short --branches --tags --remotes'),
  }),
  'ls-files': table({
    ...kinds('flag', '-c --cached -d --deleted -m --modified -o --others -i --ignored -s --stage -u --unmerged -k --killed -z -t -v -f --directory --no-empty-directory'),
    ...kinds('flag', '--eol --full-name --recurse-submodules --error-unmatch --exclude-standard --deduplicate --sparse'),
    ...kinds('text', '-x --exclude --format --with-tree'),
    ...kinds('optional', '--abbrev'),
  }),
  'ls-tree': table({ ...kinds('flag', '-d -r -t -l --long -z --name-only --name-status --object-only --full-name --full-tree'), ...kinds('optional', '--abbrev'), ...kinds('text', '--format') }),
  blame: table({
    ...kinds('flag', '-b --root --show-stats -l -t -s -e --show-email -w -p --porcelain --line-porcelain --incremental -f --show-name -n --show-number -c --color-lines --color-by-age'),
    ...kinds('optional', '-M -C --abbrev'),
    ...kinds('text', '--date --ignore-rev'),
    ...kinds('path', '--ignore-revs-file --contents'),
  }),
  describe: table({ ...kinds('flag', '--all --tags --contains --long --always --first-parent --exact-match --debug'), ...kinds('optional', '--abbrev --dirty --broken'), ...kinds('text', '--candidates --match --exclude') }),
  'merge-base': table(kinds('flag', '-a --all --is-ancestor --fork-point --octopus --independent')),
  'cat-file': table(kinds('flag', '-t -s -e -p')),
  stash: table(LOG_OPTIONS, true),
  remote: table(kinds('flag', '-v --verbose')),
  version: table(kinds('flag', '--build-options')),
};

/** Subcommands whose operands change something unless they only list. */
const LIST_ONLY: Readonly<Record<string, string>> = {
  branch: 'creates a branch (only listing runs without asking)',
  tag: 'creates a tag (only listing runs without asking)',
};

export const GIT: ProgramTable = {
  check(args, ctx) {
    const global = readArgs(args, GLOBAL, 'git', ctx);
    if (typeof global === 'string') return global;
    const [sub, ...rest] = global.operands;
    if (sub === undefined) return has(global, '--version') ? undefined : '`git` without a command';
    const spec = SUBCOMMANDS[sub];
    if (!spec) return `\`git ${sub}\` is not a git command Tandem knows to be read-only`;
    const what = `git ${sub}`;
    const parsed = readArgs(rest, spec, what, ctx);
    if (typeof parsed === 'string') return parsed;
    return operands(sub, parsed, ctx) ?? repositoryRunsPrograms(ctx);
  },
};

function operands(sub: string, parsed: Parsed, ctx: ProgramContext): Verdict {
  const revisions = parsed.operands;
  const listOnly = LIST_ONLY[sub];
  if (listOnly && revisions.length > 0 && !has(parsed, '-l', '--list')) return `\`git ${sub} ${revisions[0]}\` ${listOnly}`;
  if (sub === 'stash' && (revisions[0] !== 'list' || revisions.length > 1)) return '`git stash` changes the working tree (only `git stash list` runs without asking)';
  if (sub === 'remote' && revisions.length > 0) return '`git remote` with a command changes remotes (only `git remote -v` runs without asking)';
  if (sub === 'version' && revisions.length > 0) return '`git version` takes no operands';
  for (const value of sub === 'stash' ? revisions.slice(1) : revisions) {
    const problem = revisionOrPath(value, ctx);
    if (problem) return problem;
  }
  for (const value of parsed.afterDashes ?? []) {
    const problem = checkPath(value, ctx);
    if (problem) return problem;
  }
  return undefined;
}

/** A revision (`HEAD~1`, `main..x`) reads like a path inside the workspace; `rev:path` checks its path. */
function revisionOrPath(value: string, ctx: ProgramContext): Verdict {
  const colon = value.indexOf(':');
  if (colon < 0) return checkPath(value, ctx);
  const inside = value.slice(colon + 1);
  return inside === '' ? undefined : checkPath(inside, ctx);
}

/**
 * A repository's own configuration (a checked-out `.git/config` can come
 * with it) can make even `git status` or `git diff` run a program:
 * `core.fsmonitor`, `diff.external`, textconv drivers, clean/smudge filters,
 * `log.showSignature` (gpg). Then git asks.
 */
function repositoryRunsPrograms(ctx: ProgramContext): Verdict {
  const config = repositoryGitConfig(ctx.ws.root);
  if (config.unreadable) return `The repository's git configuration cannot be checked (${config.unreadable})`;
  const key = config.keys.find((name) => !name.startsWith('alias.') && (isGitExecKey(name) || name === 'log.showsignature'));
  return key ? `The repository's git configuration sets \`${key}\`, which makes git run a program` : undefined;
}
