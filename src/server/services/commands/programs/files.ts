/**
 * Read-only file tools: ls, cat, head, tail, wc, grep, rg, pwd, echo. Their
 * file operands go through the workspace boundary, so `cat .env`,
 * `cat ../x`, `cat linkdir/x` (a link out) and `cat /dev/null` ask. Search
 * tools that would read every file under a folder ask too: they would read
 * secret and ignored files the agent's own search_text skips.
 */
import { checkPaths, has, isFolder, kinds, readArgs, type OptionTable, type Parsed, type ProgramContext, type ProgramTable, type Verdict } from './table';

const FOLLOWS_LINKS = 'follows symbolic links, also out of the workspace';

const LS: OptionTable = {
  options: {
    ...kinds('flag', '-a -A -l -h -R -r -t -S -1 -d -F -p -i -s -n -g -o -G -c -u -x -m -C -Q -N -b -U -v -X -k --all --almost-all --human-readable --si --recursive --reverse'),
    ...kinds('flag', '--classify --directory --inode --size --numeric-uid-gid --no-group --group-directories-first --full-time --author --escape --literal --quote-name'),
    ...kinds('optional', '--color --hyperlink'),
    ...kinds('text', '--sort --time-style --format --time --indicator-style --quoting-style --block-size -I --ignore --hide -w --width -T --tabsize'),
  },
  refused: { '-L': FOLLOWS_LINKS, '-H': FOLLOWS_LINKS, '--dereference': FOLLOWS_LINKS, '--dereference-command-line': FOLLOWS_LINKS },
};

const CAT: OptionTable = {
  options: kinds('flag', '-A -b -e -E -n -s -t -T -u -v --show-all --number-nonblank --number --squeeze-blank --show-ends --show-tabs --show-nonprinting'),
};

const HEAD: OptionTable = {
  options: { ...kinds('text', '-n --lines -c --bytes'), ...kinds('flag', '-q --quiet --silent -v --verbose -z --zero-terminated') },
  numeric: true,
};

const NEVER_ENDS = 'keeps running until it is stopped';
const TAIL: OptionTable = {
  ...HEAD,
  refused: { '-f': NEVER_ENDS, '-F': NEVER_ENDS, '--follow': NEVER_ENDS, '--retry': NEVER_ENDS, '--pid': NEVER_ENDS },
};

const WC: OptionTable = {
  options: { ...kinds('flag', '-c -m -l -w -L --bytes --chars --lines --words --max-line-length'), ...kinds('optional', '--total') },
  refused: { '--files0-from': 'reads the files to count from a file' },
};

const RECURSES = 'reads every file under a folder, secret and ignored files included (the search_text tool skips them)';
const GREP: OptionTable = {
  options: {
    ...kinds('flag', '-i -y -v -w -x -c -l -L -n -h -H -o -q -s -E -F -G -P -a -I -b -T -U -z -Z --ignore-case --no-ignore-case --invert-match --word-regexp'),
    ...kinds('flag', '--line-regexp --count --files-with-matches --files-without-match --line-number --no-filename --with-filename --only-matching --quiet --silent'),
    ...kinds('flag', '--no-messages --extended-regexp --fixed-strings --basic-regexp --perl-regexp --text --byte-offset --initial-tab --null --null-data --line-buffered'),
    ...kinds('optional', '--color --colour'),
    ...kinds('text', '-e --regexp -m --max-count -A -B -C --after-context --before-context --context --include --exclude --exclude-dir --label --binary-files'),
    ...kinds('path', '-f --file'),
  },
  refused: { '-r': RECURSES, '-R': RECURSES, '--recursive': RECURSES, '--dereference-recursive': RECURSES, '-d': RECURSES, '--directories': RECURSES, '--exclude-from': 'reads patterns from a file' },
  numeric: true,
};

const SKIPS_RULES = 'searches hidden and ignored files, secret ones included';
const RG: OptionTable = {
  options: {
    ...kinds('flag', '-i -s -S -w -x -v -c -l -n -N -H -I -F -o -q -b -0 --ignore-case --case-sensitive --smart-case --word-regexp --line-regexp --invert-match --count'),
    ...kinds('flag', '--count-matches --files-with-matches --files-without-match --line-number --no-line-number --with-filename --no-filename --fixed-strings --only-matching'),
    ...kinds('flag', '--quiet --json --vimgrep --heading --no-heading --column --byte-offset --trim --stats --files --type-list --no-messages --null --no-config --sort-files'),
    ...kinds('text', '-e --regexp -g --glob --iglob -t --type -T --type-not -m --max-count -A -B -C --after-context --before-context --context --max-depth -d'),
    ...kinds('text', '--sort --sortr -r --replace -M --max-columns --color --colors -j --threads -E --encoding --max-filesize'),
    ...kinds('path', '-f --file'),
  },
  refused: {
    '--pre': 'runs a program on every file it searches',
    '--pre-glob': 'runs a program on every file it searches',
    '-z': 'runs decompression programs',
    '--search-zip': 'runs decompression programs',
    '--hidden': SKIPS_RULES,
    '-.': SKIPS_RULES,
    '-u': SKIPS_RULES,
    '--unrestricted': SKIPS_RULES,
    '--no-ignore': SKIPS_RULES,
    '--no-ignore-vcs': SKIPS_RULES,
    '--no-ignore-dot': SKIPS_RULES,
    '--no-ignore-files': SKIPS_RULES,
    '--no-ignore-global': SKIPS_RULES,
    '--no-ignore-parent': SKIPS_RULES,
    '--ignore-file': 'reads ignore rules from a file',
    '-L': FOLLOWS_LINKS,
    '--follow': FOLLOWS_LINKS,
  },
};

function paths(table: OptionTable, allowStdin: boolean): ProgramTable {
  return {
    check(args, ctx) {
      const parsed = readArgs(args, table, ctx.program, ctx);
      if (typeof parsed === 'string') return parsed;
      return checkPaths([...parsed.operands, ...(parsed.afterDashes ?? [])], ctx, allowStdin);
    },
  };
}

/** grep and rg: the pattern comes first unless given with `-e`/`-f`; the rest are files. */
function search(table: OptionTable, recursiveOnFolders: boolean): ProgramTable {
  return {
    check(args, ctx) {
      const parsed = readArgs(args, table, ctx.program, ctx);
      if (typeof parsed === 'string') return parsed;
      return searchFiles(parsed, ctx, recursiveOnFolders);
    },
  };
}

function searchFiles(parsed: Parsed, ctx: ProgramContext, recursiveOnFolders: boolean): Verdict {
  const operands = [...parsed.operands, ...(parsed.afterDashes ?? [])];
  const listsOnly = has(parsed, '--files', '--type-list');
  const files = has(parsed, '-e', '--regexp', '-f', '--file') || listsOnly ? operands : operands.slice(1);
  const problem = checkPaths(files, ctx, true);
  if (problem || !recursiveOnFolders || listsOnly) return problem;
  // rg searches folders (the workspace when no file is named and nothing is piped in) recursively.
  if (files.length === 0 && !ctx.pipedIn) return `\`${ctx.program}\` without a file ${RECURSES}`;
  const folder = files.find((file) => file !== '-' && isFolder(file, ctx));
  return folder ? `\`${ctx.program} … ${folder}\` ${RECURSES}` : undefined;
}

const PWD: ProgramTable = {
  check(args) {
    const other = args.find((arg) => arg !== '-L' && arg !== '-P');
    return other === undefined ? undefined : `\`pwd\` takes no \`${other}\``;
  },
};

/** echo only prints its words. */
const ECHO: ProgramTable = { check: () => undefined };

export const FILE_PROGRAMS: Readonly<Record<string, ProgramTable>> = {
  ls: paths(LS, false),
  cat: paths(CAT, true),
  head: paths(HEAD, true),
  tail: paths(TAIL, true),
  wc: paths(WC, true),
  grep: search(GREP, false),
  rg: search(RG, true),
  pwd: PWD,
  echo: ECHO,
};
