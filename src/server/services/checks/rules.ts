/**
 * The insecure-code rules (docs/checks.md lists them with their fixtures in
 * test/unit/checks). Each rule is a list of per-language patterns run on one
 * added line's code (comments removed); `near` must also match a line within
 * `window` lines of it (the proposed text, old or new), `also` must match
 * the line as well and `unless` must not. Our own fixed patterns: no nested quantifiers, each run on
 * a line capped at MAX_LINE characters, so the cost stays linear in the
 * proposal's size.
 */
import type { CheckSeverity } from '../../../shared/checks';
import type { CheckLanguage } from './languages';

export interface RulePattern {
  languages: readonly CheckLanguage[] | 'all';
  match: RegExp;
  /** Must match the line too (two simple patterns instead of one with look-aheads). */
  also?: RegExp;
  unless?: RegExp;
  near?: RegExp;
}

export interface InsecureRule {
  id: string;
  severity: CheckSeverity;
  why: string;
  fix: string;
  /** Lines either side searched for `near` (0: the line itself). */
  window: number;
  patterns: readonly RulePattern[];
}

/** Longer lines (minified code, data) are checked on their first MAX_LINE characters only. */
export const MAX_LINE = 2_000;

/** A SQL statement's start, in any case (the values it is built from are each language's `also`). */
const SQL_STATEMENT = /\b(?:SELECT\s.*\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i;

/** Names that say a value must not be guessable. */
const TOKEN_NAMES = /token|secret|passw|nonce|salt|session|otp\b|api_?key|csrf|reset|invite|verif/i;

export const INSECURE_RULES: readonly InsecureRule[] = [
  {
    id: 'dynamic-code',
    severity: 'high',
    why: 'Runs a string as code: whoever controls the string controls the program.',
    fix: 'Call the code directly, or parse the data (JSON.parse, ast.literal_eval) instead of evaluating it.',
    window: 0,
    patterns: [
      { languages: ['js'], match: /(?<![.\w$])eval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*['"`]|\bvm\.runIn\w*Context\s*\(/ },
      { languages: ['python'], match: /(?<![.\w])(?:eval|exec)\s*\(/ },
      { languages: ['ruby'], match: /(?<![.\w])eval\s*\(|\b(?:instance_eval|class_eval|module_eval)\s*\(?\s*["'a-z_]/ },
      { languages: ['php'], match: /(?<![\w>$])(?:eval|create_function)\s*\(|\bassert\s*\(\s*\$/ },
      // `eval "$(ssh-agent -s)"` runs a fixed command's output: the idiom, not a finding.
      { languages: ['shell'], match: /(?:^\s*|[;&|]\s*)eval\s+["']?\$(?!\()/ },
      { languages: ['java'], match: /\bScriptEngine\w*\b.*\.eval\s*\(/ },
    ],
  },
  {
    id: 'sql-injection',
    severity: 'high',
    why: 'SQL built from values by concatenation or interpolation: a value can change the query.',
    fix: 'Use a parameterised query (placeholders such as ?, $1, %s or @name) and pass the values separately.',
    window: 3,
    patterns: [
      {
        languages: ['js'],
        match: SQL_STATEMENT,
        also: /(?:\$\{|['"`]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*['"`])/,
        near: /\.(?:query|execute|exec|raw|run|all|get|prepare|unsafe|\$queryRawUnsafe|\$executeRawUnsafe)\s*\(/,
      },
      {
        languages: ['python'],
        match: SQL_STATEMENT,
        also: /(?:['"]\s*%\s*[\w(]|['"]\s*\+\s*\w|\w\s*\+\s*['"]|\.format\s*\(|\{[\w.]+\})/,
        near: /\.(?:execute|executemany|executescript|raw|extra|query)\s*\(|\btext\s*\(/,
      },
      {
        languages: ['go'],
        match: SQL_STATEMENT,
        also: /(?:"\s*\+\s*\w|\w\s*\+\s*"|%[sdv])/,
        near: /\.(?:Query|QueryRow|Exec|QueryContext|QueryRowContext|ExecContext|Raw)\s*\(/,
      },
      {
        languages: ['java', 'csharp'],
        match: SQL_STATEMENT,
        also: /(?:"\s*\+\s*\w|\w\s*\+\s*"|\$".*\{|String\.format\s*\()/,
        near: /\.(?:executeQuery|executeUpdate|execute|prepareStatement|createQuery|createNativeQuery|ExecuteReader|ExecuteNonQuery|ExecuteScalar|FromSqlRaw|ExecuteSqlRaw)\s*\(|\bnew\s+SqlCommand\s*\(/,
      },
      {
        languages: ['ruby'],
        match: SQL_STATEMENT,
        also: /#\{|["']\s*\+\s*\w/,
        near: /\.(?:execute|exec_query|find_by_sql|select_all|query)\b/,
      },
      // A string condition with interpolation: ActiveRecord passes it to the database as SQL.
      { languages: ['ruby'], match: /\.(?:where|having|order|joins|find_by_sql|exists\?)\s*\(?\s*"[^"]*#\{/ },
      {
        languages: ['php'],
        match: SQL_STATEMENT,
        also: /"[^"]*\$\w|['"]\s*\.\s*\$/,
        near: /(?:->|::)(?:query|exec|prepare|select|statement|raw)\s*\(|\b(?:mysqli_query|mysql_query|pg_query)\s*\(/,
      },
    ],
  },
  {
    id: 'shell-injection',
    severity: 'high',
    why: 'A shell command built from a variable: a value with shell syntax runs its own commands.',
    fix: 'Run the program directly with an argument list (execFile/spawn, subprocess.run([...]), exec.Command(name, args...)) and no shell.',
    window: 0,
    patterns: [
      { languages: ['js'], match: /(?<![.\w$])(?:exec|execSync)\s*\(\s*(?:`[^`]*\$\{|['"][^'"]*['"]\s*\+|[A-Za-z_$][\w$.]*\s*[,)+])/ },
      { languages: ['js'], match: /\b(?:child_process|childProcess|cp|proc)\.(?:exec|execSync)\s*\(\s*(?:`[^`]*\$\{|['"][^'"]*['"]\s*\+|[A-Za-z_$][\w$.]*\s*[,)+])/ },
      { languages: ['js'], match: /\b(?:spawn|spawnSync|execFile|execFileSync)\s*\(.*\bshell\s*:\s*true\b/ },
      { languages: ['python'], match: /\bos\.(?:system|popen)\s*\(\s*(?:f['"]|[A-Za-z_]|['"][^'"]*['"]\s*(?:\+|%|\.format))/ },
      { languages: ['python'], match: /\bsubprocess\.\w+\s*\(.*\bshell\s*=\s*True\b/ },
      { languages: ['go'], match: /\bexec\.Command(?:Context)?\s*\((?:\s*\w+\s*,)?\s*"(?:sh|bash|\/bin\/sh|\/bin\/bash|cmd|cmd\.exe)"\s*,\s*"(?:-c|\/c|\/C)"\s*,\s*(?:[A-Za-z_]|"[^"]*"\s*\+)/ },
      { languages: ['java'], match: /\.exec\s*\(\s*(?:[a-z_]\w*\s*\)|"[^"]*"\s*\+)/ },
      { languages: ['java'], match: /\bnew\s+ProcessBuilder\s*\(\s*"(?:sh|bash|\/bin\/sh|\/bin\/bash|cmd|cmd\.exe)"\s*,\s*"(?:-c|\/c|\/C)"\s*,\s*(?:[A-Za-z_]|"[^"]*"\s*\+)/ },
      { languages: ['csharp'], match: /\bProcess\.Start\s*\(\s*"(?:cmd|cmd\.exe|bash|sh|\/bin\/sh|\/bin\/bash|powershell)"\s*,\s*(?:\$"|[A-Za-z_]|"[^"]*"\s*\+)/ },
      { languages: ['ruby'], match: /(?<![.\w])(?:system|exec|spawn)\s*\(?\s*"[^"]*#\{|`[^`]*#\{|%x[({][^)}]*#\{|\bIO\.popen\s*\(\s*"[^"]*#\{|\bOpen3\.\w+\s*\(\s*"[^"]*#\{/ },
      {
        languages: ['php'],
        match: /(?<![\w>$])(?:shell_exec|system|exec|passthru|popen|proc_open)\s*\(\s*(?:\$|"[^"]*\$|['"][^'"]*['"]\s*\.)|`[^`]*\$\w/,
        unless: /\bescapeshell(?:arg|cmd)\s*\(/,
      },
      { languages: ['shell'], match: /\b(?:ba)?sh\s+-c\s+"[^"]*\$\{?[A-Za-z_@*]/ },
    ],
  },
  {
    id: 'tls-verification-off',
    severity: 'high',
    why: 'TLS certificate verification is switched off: anyone on the network can read and change the traffic.',
    fix: 'Keep verification on; to trust a private CA, pass its certificate (ca, verify=path, RootCAs) instead.',
    window: 0,
    patterns: [
      { languages: ['js'], match: /\brejectUnauthorized\s*:\s*false\b|\bstrictSSL\s*:\s*false\b|\bNODE_TLS_REJECT_UNAUTHORIZED\b['"]?\]?\s*=\s*['"`]?0/ },
      { languages: ['python'], match: /\bverify\s*=\s*False\b|\bssl\._create_unverified_context\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b/ },
      { languages: ['go'], match: /\bInsecureSkipVerify\s*:\s*true\b/ },
      { languages: ['java'], match: /\bNoopHostnameVerifier\b|\bALLOW_ALL_HOSTNAME_VERIFIER\b|\bsetHostnameVerifier\s*\(.*->\s*true\b|\bTrustAllStrategy\b/ },
      { languages: ['csharp'], match: /\bServerCertificate(?:Custom)?ValidationCallback\b.*=>\s*true\b|\bDangerousAcceptAnyServerCertificateValidator\b/ },
      { languages: ['ruby'], match: /\bVERIFY_NONE\b|\bssl_verify_mode\s*(?:=>|:)\s*:none\b/ },
      { languages: ['php'], match: /\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:false|0)\b|['"]verify_peer(?:_name)?['"]\s*=>\s*false\b|['"]verify['"]\s*=>\s*false\b/i },
      { languages: ['shell'], match: /\bcurl\b.*\s(?:-k|--insecure)(?:\s|$)|\bwget\b.*\s--no-check-certificate\b|\bNODE_TLS_REJECT_UNAUTHORIZED=['"]?0|\bhttp\.sslVerify\s+false\b|\bGIT_SSL_NO_VERIFY=['"]?(?:1|true)/ },
    ],
  },
  {
    id: 'weak-password-hash',
    severity: 'high',
    why: 'MD5 and SHA-1 are fast, broken hashes: a leaked password hash is cracked in seconds.',
    fix: 'Hash passwords with a slow, salted function: bcrypt, scrypt, Argon2 or PBKDF2 with many iterations.',
    window: 2,
    patterns: [
      {
        languages: 'all',
        match: /\bmd5\b|\bsha-?1\b|\bmd5sum\b|\bsha1sum\b|\bMD5(?:CryptoServiceProvider)?\.Create\b|\bSHA1(?:Managed|CryptoServiceProvider)?\b|\bDigest::(?:MD5|SHA1)\b/i,
        // Not a bare `pass` (Python's statement).
        near: /passw(?:or)?d|passphrase|\bpwd\b|\bpw_?hash/i,
      },
    ],
  },
  {
    id: 'unsafe-deserialization',
    severity: 'high',
    why: 'Deserialising untrusted bytes with this API can run code chosen by whoever wrote the bytes.',
    fix: 'Use a data-only format (JSON), or the safe variant: yaml.safe_load, YAML.safe_load, allowed_classes => false, a type-checked serializer.',
    window: 0,
    patterns: [
      { languages: ['python'], match: /\b(?:c?[Pp]ickle|dill|marshal|shelve|jsonpickle)\.(?:loads?|Unpickler|open|decode)\s*\(|\byaml\.(?:unsafe_load|full_load)\s*\(/ },
      { languages: ['python'], match: /\byaml\.load(?:_all)?\s*\(/, unless: /\bLoader\s*=\s*(?:yaml\.)?C?SafeLoader\b/ },
      { languages: ['java'], match: /\bnew\s+ObjectInputStream\s*\(|\bnew\s+XMLDecoder\s*\(|\bXStream\s*\(\s*\)\.fromXML\b|\benableDefaultTyping\s*\(/ },
      { languages: ['csharp'], match: /\b(?:BinaryFormatter|NetDataContractSerializer|LosFormatter|SoapFormatter|ObjectStateFormatter)\b|\bTypeNameHandling\s*=\s*TypeNameHandling\.(?:All|Auto|Objects|Arrays)\b/ },
      { languages: ['ruby'], match: /\bMarshal\.(?:load|restore)\b|\bYAML\.(?:load|unsafe_load|load_file)\b|\bPsych\.(?:load|unsafe_load)\b|\bOj\.load\b/, unless: /\bpermitted_classes\s*:|\bsafe:\s*true\b/ },
      { languages: ['php'], match: /(?<![\w>$:])unserialize\s*\(/, unless: /['"]allowed_classes['"]\s*=>\s*false\b/ },
      { languages: ['js'], match: /\brequire\s*\(\s*['"](?:node-serialize|serialize-to-js)['"]\s*\)|\bfrom\s+['"](?:node-serialize|serialize-to-js)['"]/ },
    ],
  },
  {
    id: 'html-injection',
    severity: 'medium',
    why: 'HTML built from a value: text from a user or a model can run script in the page (XSS).',
    fix: 'Set textContent (or render through the framework\'s escaping); if HTML is needed, sanitise it (DOMPurify) first.',
    window: 0,
    patterns: [
      {
        languages: ['js'],
        match: /\.(?:innerHTML|outerHTML)\s*\+?=\s*[^=]|\.insertAdjacentHTML\s*\(|\bdocument\.write(?:ln)?\s*\(|\bdangerouslySetInnerHTML\s*=\s*\{/,
        unless: /(?:HTML\s*\+?=|insertAdjacentHTML\s*\(\s*['"]\w+['"]\s*,|document\.writeln?\s*\(|__html\s*:)\s*(?:'[^'\\$]*'|"[^"\\$]*"|`[^`\\$]*`)\s*(?:[;,)}]|$)|\bDOMPurify\.sanitize\s*\(/,
      },
      { languages: ['python'], match: /\b(?:mark_safe|Markup)\s*\(\s*(?:f['"]|[A-Za-z_]|['"][^'"]*['"]\s*(?:%|\+|\.format))/ },
      { languages: ['go'], match: /\btemplate\.(?:HTML|JS|URL)\s*\(\s*(?:[A-Za-z_]|"[^"]*"\s*\+|fmt\.)/ },
      { languages: ['csharp'], match: /\bHtml\.Raw\s*\(\s*(?:[A-Za-z_@]|\$")/ },
      { languages: ['ruby'], match: /[\w)\]}]\.html_safe\b|\braw\s*\(?\s*[@a-z_]|<%==/, unless: /^\s*(?:'[^'#]*'|"[^"#]*")\.html_safe\b/ },
      { languages: ['php'], match: /\b(?:echo|print)\b.*\$_(?:GET|POST|REQUEST|COOKIE|SERVER)\b/, unless: /\bhtmlspecialchars\s*\(|\bhtmlentities\s*\(/ },
    ],
  },
  {
    id: 'cors-credentials',
    severity: 'medium',
    why: 'Any origin may call this endpoint with the user\'s cookies: any web site can act as the signed-in user.',
    fix: 'Allow the specific origins that need credentials (an allow-list), never * or a reflected Origin with credentials.',
    window: 6,
    patterns: [
      {
        languages: ['js', 'python', 'go', 'java', 'csharp', 'ruby', 'php'],
        match: /\borigin\s*[:=]\s*(?:true|['"]\*['"])|Allow-Origin['"]?\s*[,:=]\s*(?:['"]\*['"]|req\.headers\.origin)|Allow-Origin\W{0,8}\$_SERVER\[['"]HTTP_ORIGIN|\bAllowAnyOrigin\s*\(|\ballow_origins\s*=\s*\[\s*['"]\*['"]|\bCORS_ORIGIN_ALLOW_ALL\s*=\s*True|\bAllowedOrigins\s*:\s*\[\]string\{\s*"\*"|\bAllowOrigins\s*:\s*\[\]string\{\s*"\*"|\borigins\s*[:(]?\s*['"]\*['"]|\ballowedOrigins\s*\(\s*"\*"/i,
        near: /\bcredentials\s*[:=]\s*true\b|Allow-Credentials['"]?\s*[,:=]\s*['"]?true|\bAllowCredentials\s*(?:\(|:\s*true|=\s*true)|\ballow_credentials\s*=\s*True\b|\bsupports_credentials\s*=\s*True\b|\bCORS_ALLOW_CREDENTIALS\s*=\s*True\b|\bcredentials\s*(?::|=>)\s*true\b|\ballowCredentials\s*\(\s*true\s*\)/i,
      },
    ],
  },
  {
    id: 'world-writable',
    severity: 'medium',
    why: 'Mode 777 lets every user on the machine change or replace the file.',
    fix: 'Grant only what is needed: 755 for programs and folders, 644 (or 600 for secrets) for files.',
    window: 0,
    patterns: [
      { languages: 'all', match: /\bchmod\w*\b.*(?:\b0?o?777\b|\ba\+rwx\b)|\brwxrwxrwx\b|\bPosixFilePermission\.OTHERS_WRITE\b/i },
      { languages: ['js', 'python', 'go'], match: /\b(?:mode|perm)\s*[:=]\s*0o?777\b|\b(?:mkdir|MkdirAll|makedirs|WriteFile|OpenFile)\w*\s*\(.*,\s*0o?777\b/ },
    ],
  },
  {
    id: 'hardcoded-credential',
    severity: 'high',
    why: 'A credential written in the code ends up in every copy, commit and log of it.',
    fix: 'Read it from the environment or a secret store at run time, and rotate the one that was written here.',
    window: 0,
    patterns: [
      {
        languages: 'all',
        match: /(?:password|passwd|passphrase|pwd|secret|api_?key|apikey|access_?token|auth_?token|client_?secret|private_?key)['"]?\]?\s*(?::=|=>|[:=])\s*['"][^'"\s$%{<*][^'"\s]{3,}['"]/i,
        unless: /['"](?:your|example|changeme|placeholder|dummy|xxx|redacted|test|<)|\b(?:label|placeholder|title|name|field|key)s?\s*[:=]/i,
      },
    ],
  },
  {
    id: 'weak-random',
    severity: 'medium',
    why: 'This random source is predictable: a token, password or id made from it can be guessed.',
    fix: 'Use the platform\'s cryptographic generator: crypto.randomBytes/randomUUID, secrets, crypto/rand, SecureRandom, RandomNumberGenerator, random_bytes.',
    window: 1,
    patterns: [
      { languages: ['js', 'java'], match: /\bMath\.random\s*\(/, near: TOKEN_NAMES },
      { languages: ['java', 'csharp'], match: /\bnew\s+Random\s*\(/, near: TOKEN_NAMES },
      { languages: ['python'], match: /(?<![.\w])random\.(?:random|randint|choice|choices|randrange|getrandbits|sample)\s*\(/, near: TOKEN_NAMES },
      { languages: ['go'], match: /\brand\.(?:Intn|Int31n?|Int63n?|Float64|Uint32|Uint64|Perm)\s*\(/, near: TOKEN_NAMES },
      { languages: ['ruby'], match: /(?<![.\w])rand\s*\(|(?<!Secure)Random\.(?:rand|new)\b/, near: TOKEN_NAMES },
      { languages: ['php'], match: /(?<![\w>$])(?:rand|mt_rand|uniqid|lcg_value|str_shuffle)\s*\(/, near: TOKEN_NAMES },
      { languages: ['shell'], match: /\$RANDOM\b/, near: TOKEN_NAMES },
    ],
  },
];

