/**
 * Positive and negative fixtures for every insecure-code rule, per language
 * (docs/checks.md). A positive is a snippet (one or a few lines) on which the
 * rule must fire; a negative is a look-alike on which it must not: the safe
 * API next to the unsafe one, a comment, a constant. Keyed by a file
 * extension, which is how the checks tell the language.
 */

export interface RuleFixture {
  rule: string;
  ext: string;
  positive: string[];
  negative: string[];
}

export const FIXTURES: RuleFixture[] = [
  // dynamic-code
  {
    rule: 'dynamic-code',
    ext: 'ts',
    positive: ['const r = eval(userInput);', 'const f = new Function("a", body);', 'setTimeout("tick()", 10);', 'vm.runInNewContext(code, sandbox);'],
    negative: ['// never eval(userInput) here', 'const r = evaluate(expr);', 'const r = JSON.parse(text);', 'setTimeout(() => tick(), 10);', 'model.eval();', 'const evalMode = true;'],
  },
  {
    rule: 'dynamic-code',
    ext: 'py',
    positive: ['result = eval(expr)', 'exec(code, {})', 'x = eval(f"{a}+{b}")'],
    negative: ['# eval(expr) is dangerous', 'model.eval()', 'value = ast.literal_eval(text)', 'cursor.execute("SELECT 1")', 'evaluate(expr)'],
  },
  {
    rule: 'dynamic-code',
    ext: 'rb',
    positive: ['eval(params[:code])', 'obj.instance_eval(str)', 'klass.class_eval "def #{name}; end"'],
    negative: ['# eval(params[:code])', 'obj.instance_eval { @x }', 'evaluate(x)'],
  },
  {
    rule: 'dynamic-code',
    ext: 'php',
    positive: ['eval($code);', '$f = create_function("$a", $body);', 'assert($input);'],
    negative: ['// eval($code);', '$obj->eval($x);', 'assert(count($a) > 0);'],
  },
  {
    rule: 'dynamic-code',
    ext: 'sh',
    positive: ['eval "$CMD"', 'eval $1', 'x=1; eval $USER_CMD'],
    negative: ['# eval $CMD', 'echo "evaluate $x"', 'eval "$(ssh-agent -s)"'],
  },
  {
    rule: 'dynamic-code',
    ext: 'java',
    positive: ['Object r = new ScriptEngineManager().getEngineByName("js").eval(script);'],
    negative: ['// engine.eval(script)', 'Object r = evaluator.evaluate(expr);'],
  },
  // sql-injection
  {
    rule: 'sql-injection',
    ext: 'ts',
    positive: [
      'await db.query("SELECT * FROM users WHERE id = " + id);',
      'await db.query(`SELECT * FROM users WHERE name = \'${name}\'`);',
      'const sql = "DELETE FROM orders WHERE id = " + orderId;\nawait pool.execute(sql);',
      'conn.query(\'UPDATE users SET name = "\' + name + \'" WHERE id = 1\');',
    ],
    negative: [
      'await db.query("SELECT * FROM users WHERE id = ?", [id]);',
      'await db.query("SELECT * FROM users WHERE id = $1", [id]);',
      'const label = "Select a user from the list: " + name;',
      '// db.query("SELECT * FROM users WHERE id = " + id)',
      'const sql = `SELECT * FROM users`;\nawait db.query(sql);',
    ],
  },
  {
    rule: 'sql-injection',
    ext: 'py',
    positive: [
      'cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)',
      'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
      'cursor.execute("SELECT * FROM users WHERE id = {}".format(uid))',
      'q = "DELETE FROM t WHERE id = " + tid\ncur.execute(q)',
    ],
    negative: [
      'cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))',
      'cursor.execute("SELECT * FROM users WHERE name = :name", {"name": name})',
      'print(f"Select from {menu}")',
      '# cursor.execute(f"SELECT * FROM users WHERE id = {uid}")',
    ],
  },
  {
    rule: 'sql-injection',
    ext: 'go',
    positive: ['rows, err := db.Query("SELECT * FROM users WHERE id = " + id)', 'q := fmt.Sprintf("SELECT * FROM users WHERE name = \'%s\'", name)\nrows, err := db.Query(q)'],
    negative: ['rows, err := db.Query("SELECT * FROM users WHERE id = $1", id)', 'rows, err := db.Query("SELECT * FROM users WHERE id = ?", id)'],
  },
  {
    rule: 'sql-injection',
    ext: 'java',
    positive: ['ResultSet rs = stmt.executeQuery("SELECT * FROM users WHERE id = " + id);', 'String q = String.format("DELETE FROM t WHERE id = %s", id);\nstmt.executeUpdate(q);'],
    negative: ['PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE id = ?");', 'ps.setString(1, id);'],
  },
  {
    rule: 'sql-injection',
    ext: 'cs',
    positive: ['var cmd = new SqlCommand("SELECT * FROM Users WHERE Id = " + id, conn);', 'var cmd = new SqlCommand($"SELECT * FROM Users WHERE Name = \'{name}\'", conn);'],
    negative: ['var cmd = new SqlCommand("SELECT * FROM Users WHERE Id = @id", conn);', 'cmd.Parameters.AddWithValue("@id", id);'],
  },
  {
    rule: 'sql-injection',
    ext: 'rb',
    positive: ['User.where("name = \'#{params[:name]}\'")', 'ActiveRecord::Base.connection.execute("DELETE FROM users WHERE id = #{id}")'],
    negative: ['User.where("name = ?", params[:name])', 'User.where(name: params[:name])'],
  },
  {
    rule: 'sql-injection',
    ext: 'php',
    positive: ['$r = $db->query("SELECT * FROM users WHERE id = $id");', '$r = mysqli_query($c, "SELECT * FROM users WHERE id = " . $_GET[\'id\']);'],
    negative: ['$st = $db->prepare("SELECT * FROM users WHERE id = ?");', '$st->execute([$id]);'],
  },
  // shell-injection
  {
    rule: 'shell-injection',
    ext: 'ts',
    positive: ['exec(`git log ${branch}`);', 'child_process.exec("rm -rf " + dir);', 'execSync(cmd);', 'spawn("sh", ["-c", script], { shell: true });'],
    negative: ['execFile("git", ["log", branch]);', 'spawn("git", ["log", branch]);', 'const m = /a(b)/.exec(text);', 'const m = pattern.exec(line);', 'exec("git status");'],
  },
  {
    rule: 'shell-injection',
    ext: 'py',
    positive: ['os.system("rm -rf " + path)', 'os.system(f"tar xf {archive}")', 'subprocess.run(cmd, shell=True)', 'os.popen(cmd)'],
    negative: ['subprocess.run(["tar", "xf", archive])', 'subprocess.run(cmd, shell=False)', 'os.system("clear")'],
  },
  {
    rule: 'shell-injection',
    ext: 'go',
    positive: ['out, err := exec.Command("sh", "-c", cmd).Output()', 'exec.Command("bash", "-c", "ls " + dir).Run()'],
    negative: ['out, err := exec.Command("git", "status", dir).Output()', 'exec.Command("sh", "-c", "ls -la").Run()'],
  },
  {
    rule: 'shell-injection',
    ext: 'java',
    positive: ['Runtime.getRuntime().exec("ping " + host);', 'Runtime.getRuntime().exec(command);', 'new ProcessBuilder("sh", "-c", cmd).start();'],
    negative: ['new ProcessBuilder("ping", "-c", "1", host).start();', 'Runtime.getRuntime().exec(new String[] {"ping", host});'],
  },
  {
    rule: 'shell-injection',
    ext: 'cs',
    positive: ['Process.Start("cmd.exe", "/c " + command);', 'Process.Start("bash", $"-c \\"ls {dir}\\"");'],
    negative: ['Process.Start("notepad.exe", path);', 'var psi = new ProcessStartInfo("git") { ArgumentList = { "status" } };'],
  },
  {
    rule: 'shell-injection',
    ext: 'rb',
    positive: ['system("convert #{file} out.png")', 'out = `ls #{dir}`', 'IO.popen("grep #{pattern} log")'],
    negative: ['system("convert", file, "out.png")', 'out = `ls -la`', '# system("rm #{x}")'],
  },
  {
    rule: 'shell-injection',
    ext: 'php',
    positive: ['shell_exec("ls " . $dir);', 'system($cmd);', 'exec("ping $host");', '$o = `ls $dir`;'],
    negative: ['exec("ls " . escapeshellarg($dir));', 'system("uptime");', '$obj->exec($x);'],
  },
  {
    rule: 'shell-injection',
    ext: 'sh',
    positive: ['bash -c "rm -rf $TARGET"', 'sh -c "echo ${NAME}"'],
    negative: ["bash -c 'echo done'", 'bash script.sh "$TARGET"'],
  },
  // tls-verification-off
  {
    rule: 'tls-verification-off',
    ext: 'ts',
    positive: ['const agent = new https.Agent({ rejectUnauthorized: false });', 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";', 'request({ url, strictSSL: false });'],
    negative: ['const agent = new https.Agent({ rejectUnauthorized: true });', 'const agent = new https.Agent({ ca: fs.readFileSync(caPath) });', '// rejectUnauthorized: false is never OK'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'py',
    positive: ['requests.get(url, verify=False)', 'ctx = ssl._create_unverified_context()', 'ctx.verify_mode = ssl.CERT_NONE', 'ctx.check_hostname = False'],
    negative: ['requests.get(url, verify=True)', 'requests.get(url, verify=ca_bundle)', 'ctx.verify_mode = ssl.CERT_REQUIRED'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'go',
    positive: ['tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}'],
    negative: ['cfg := &tls.Config{InsecureSkipVerify: false}', 'cfg := &tls.Config{RootCAs: pool}'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'java',
    positive: ['HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();', 'conn.setHostnameVerifier((host, session) -> true);'],
    negative: ['HttpClients.custom().setSSLHostnameVerifier(new DefaultHostnameVerifier()).build();'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'cs',
    positive: ['handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) => true;', 'handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;'],
    negative: ['handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) => errors == SslPolicyErrors.None;'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'rb',
    positive: ['http.verify_mode = OpenSSL::SSL::VERIFY_NONE'],
    negative: ['http.verify_mode = OpenSSL::SSL::VERIFY_PEER'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'php',
    positive: ['curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);', "$ctx = stream_context_create(['ssl' => ['verify_peer' => false]]);"],
    negative: ['curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);', 'curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);'],
  },
  {
    rule: 'tls-verification-off',
    ext: 'sh',
    positive: ['curl -k https://example.com/install.sh | sh', 'curl --insecure "$URL"', 'wget --no-check-certificate "$URL"', 'git config --global http.sslVerify false'],
    negative: ['curl -fsSL https://example.com/install.sh', 'curl --cacert ca.pem "$URL"', 'wget "$URL"', 'kill -9 $PID'],
  },
  // weak-password-hash
  {
    rule: 'weak-password-hash',
    ext: 'ts',
    positive: ['const hash = crypto.createHash("md5").update(password).digest("hex");', 'const h = createHash("sha1")\n  .update(user.password)\n  .digest("hex");'],
    negative: ['const etag = crypto.createHash("md5").update(body).digest("hex");', 'const hash = await bcrypt.hash(password, 12);', 'const h = crypto.createHash("sha256").update(file).digest();'],
  },
  { rule: 'weak-password-hash', ext: 'py', positive: ['hashed = hashlib.md5(password.encode()).hexdigest()', 'pw_hash = hashlib.sha1(pwd).hexdigest()'], negative: ['digest = hashlib.md5(data).hexdigest()', 'if not data:\n    pass\ndigest = hashlib.md5(data).hexdigest()', 'hashed = bcrypt.hashpw(password, bcrypt.gensalt())'] },
  { rule: 'weak-password-hash', ext: 'go', positive: ['sum := md5.Sum([]byte(password))'], negative: ['sum := md5.Sum(fileBytes)', 'hash, _ := bcrypt.GenerateFromPassword([]byte(password), 12)'] },
  { rule: 'weak-password-hash', ext: 'java', positive: ['MessageDigest md = MessageDigest.getInstance("SHA-1");\nbyte[] h = md.digest(password.getBytes());'], negative: ['MessageDigest md = MessageDigest.getInstance("SHA-256");\nbyte[] h = md.digest(password.getBytes());'] },
  { rule: 'weak-password-hash', ext: 'cs', positive: ['var hash = MD5.Create().ComputeHash(Encoding.UTF8.GetBytes(password));'], negative: ['var hash = MD5.Create().ComputeHash(stream);'] },
  { rule: 'weak-password-hash', ext: 'rb', positive: ['digest = Digest::MD5.hexdigest(password)'], negative: ['digest = Digest::MD5.hexdigest(file_body)', 'digest = BCrypt::Password.create(password)'] },
  { rule: 'weak-password-hash', ext: 'php', positive: ['$hash = md5($password);', '$h = sha1($_POST["passwd"]);'], negative: ['$hash = password_hash($password, PASSWORD_DEFAULT);', '$etag = md5($content);'] },
  { rule: 'weak-password-hash', ext: 'sh', positive: ['HASH=$(echo -n "$PASSWORD" | md5sum)'], negative: ['md5sum release.tar.gz > release.md5'] },
  // unsafe-deserialization
  {
    rule: 'unsafe-deserialization',
    ext: 'py',
    positive: ['obj = pickle.loads(data)', 'cfg = yaml.load(stream)', 'cfg = yaml.load(stream, Loader=yaml.Loader)', 'cfg = yaml.unsafe_load(stream)', 'o = marshal.loads(blob)'],
    negative: ['cfg = yaml.safe_load(stream)', 'cfg = yaml.load(stream, Loader=yaml.SafeLoader)', 'obj = json.loads(data)', '# obj = pickle.loads(data)'],
  },
  { rule: 'unsafe-deserialization', ext: 'java', positive: ['ObjectInputStream in = new ObjectInputStream(socket.getInputStream());', 'XMLDecoder d = new XMLDecoder(input);'], negative: ['MyType t = mapper.readValue(json, MyType.class);', '// new ObjectInputStream(socket.getInputStream())'] },
  { rule: 'unsafe-deserialization', ext: 'cs', positive: ['var f = new BinaryFormatter();', 'var s = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All };'], negative: ['var o = JsonSerializer.Deserialize<Order>(json);', 'var s = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };'] },
  { rule: 'unsafe-deserialization', ext: 'rb', positive: ['obj = Marshal.load(data)', 'cfg = YAML.load(File.read(path))'], negative: ['cfg = YAML.safe_load(File.read(path))', 'obj = JSON.parse(data)'] },
  { rule: 'unsafe-deserialization', ext: 'php', positive: ['$o = unserialize($_COOKIE["state"]);'], negative: ['$o = unserialize($data, ["allowed_classes" => false]);', '$o = json_decode($data, true);', '$o = $codec->unserialize($x);'] },
  { rule: 'unsafe-deserialization', ext: 'js', positive: ["const serialize = require('node-serialize');", "import serialize from 'node-serialize';"], negative: ["const data = JSON.parse(text);", "import serialize from 'serialize-javascript';"] },
  // html-injection
  {
    rule: 'html-injection',
    ext: 'tsx',
    positive: ['el.innerHTML = message;', 'el.innerHTML += `<li>${item}</li>`;', 'el.insertAdjacentHTML("beforeend", html);', 'return <div dangerouslySetInnerHTML={{ __html: body }} />;', 'document.write(data);'],
    negative: ['el.textContent = message;', "el.innerHTML = '';", 'el.innerHTML = "<b>Loading</b>";', 'return <div dangerouslySetInnerHTML={{ __html: "<br/>" }} />;', 'el.innerHTML = DOMPurify.sanitize(html);', 'if (el.innerHTML === old) return;'],
  },
  { rule: 'html-injection', ext: 'py', positive: ['return mark_safe(user_bio)', 'return Markup(f"<b>{name}</b>")'], negative: ['return mark_safe("<br>")', 'return escape(user_bio)'] },
  { rule: 'html-injection', ext: 'go', positive: ['data := template.HTML(userInput)'], negative: ['data := template.HTML("<br>")', 'data := template.HTMLEscapeString(userInput)'] },
  { rule: 'html-injection', ext: 'cs', positive: ['@Html.Raw(Model.Bio)'], negative: ['@Html.Raw("<br/>")', '@Html.DisplayFor(m => m.Bio)'] },
  { rule: 'html-injection', ext: 'rb', positive: ['<%= @user.bio.html_safe %>', '<%= raw @comment.body %>'], negative: ['<%= @user.bio %>', '"<br>".html_safe'] },
  { rule: 'html-injection', ext: 'php', positive: ['echo $_GET["name"];', 'echo "Hello " . $_POST["name"];'], negative: ['echo htmlspecialchars($_GET["name"]);', 'echo "Hello";'] },
  // cors-credentials
  {
    rule: 'cors-credentials',
    ext: 'ts',
    positive: ['app.use(cors({ origin: true, credentials: true }));', 'app.use(cors({\n  origin: "*",\n  credentials: true,\n}));', 'res.setHeader("Access-Control-Allow-Origin", req.headers.origin);\nres.setHeader("Access-Control-Allow-Credentials", "true");'],
    negative: ['app.use(cors({ origin: ["https://app.example.com"], credentials: true }));', 'app.use(cors({ origin: "*" }));', 'res.setHeader("Access-Control-Allow-Origin", "*");'],
  },
  { rule: 'cors-credentials', ext: 'py', positive: ['app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)', 'CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_CREDENTIALS = True'], negative: ['app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"], allow_credentials=True)', 'app.add_middleware(CORSMiddleware, allow_origins=["*"])'] },
  { rule: 'cors-credentials', ext: 'go', positive: ['c := cors.New(cors.Options{\n  AllowedOrigins: []string{"*"},\n  AllowCredentials: true,\n})'], negative: ['c := cors.New(cors.Options{\n  AllowedOrigins: []string{"https://a.example"},\n  AllowCredentials: true,\n})'] },
  { rule: 'cors-credentials', ext: 'cs', positive: ['policy.AllowAnyOrigin().AllowCredentials();'], negative: ['policy.WithOrigins("https://a.example").AllowCredentials();', 'policy.AllowAnyOrigin().AllowAnyHeader();'] },
  { rule: 'cors-credentials', ext: 'java', positive: ['registry.addMapping("/**").allowedOrigins("*").allowCredentials(true);'], negative: ['registry.addMapping("/**").allowedOrigins("https://a.example").allowCredentials(true);'] },
  { rule: 'cors-credentials', ext: 'php', positive: ['header("Access-Control-Allow-Origin: " . $_SERVER["HTTP_ORIGIN"]);\nheader("Access-Control-Allow-Credentials: true");'], negative: ['header("Access-Control-Allow-Origin: https://a.example");\nheader("Access-Control-Allow-Credentials: true");'] },
  { rule: 'cors-credentials', ext: 'rb', positive: ["origins '*'\nresource '*', headers: :any, credentials: true"], negative: ["origins 'https://a.example'\nresource '*', headers: :any, credentials: true"] },
  // world-writable
  { rule: 'world-writable', ext: 'sh', positive: ['chmod 777 /var/www', 'chmod -R 0777 "$DIR"', 'chmod a+rwx build'], negative: ['chmod 755 /usr/local/bin/tool', 'chmod 600 ~/.ssh/id_ed25519', '# chmod 777 is never right'] },
  { rule: 'world-writable', ext: 'ts', positive: ['fs.chmodSync(file, 0o777);', 'await fs.promises.mkdir(dir, { mode: 0o777 });'], negative: ['fs.chmodSync(file, 0o755);', 'await fs.promises.mkdir(dir, { recursive: true });'] },
  { rule: 'world-writable', ext: 'py', positive: ['os.chmod(path, 0o777)', 'os.makedirs(path, 0o777)'], negative: ['os.chmod(path, 0o644)', 'os.makedirs(path, exist_ok=True)'] },
  { rule: 'world-writable', ext: 'go', positive: ['os.Chmod(path, 0777)', 'os.MkdirAll(dir, 0777)'], negative: ['os.Chmod(path, 0755)', 'os.MkdirAll(dir, 0o750)'] },
  { rule: 'world-writable', ext: 'java', positive: ['Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));'], negative: ['Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));'] },
  { rule: 'world-writable', ext: 'php', positive: ['chmod($path, 0777);'], negative: ['chmod($path, 0644);'] },
  { rule: 'world-writable', ext: 'rb', positive: ['File.chmod(0777, path)', 'FileUtils.chmod(0777, dir)'], negative: ['File.chmod(0644, path)'] },
  { rule: 'world-writable', ext: 'cs', positive: ['Process.Start("chmod", "777 " + path);'], negative: ['Process.Start("chmod", "755 " + path);', '// chmod 777 would be wrong here'] },
  // hardcoded-credential
  {
    rule: 'hardcoded-credential',
    ext: 'ts',
    positive: ['const dbPassword = "hunter22";', 'const config = { password: "s3cr3tpw" };', 'const apiKey = "k3y-for-prod";'],
    negative: ['const dbPassword = process.env.DB_PASSWORD;', 'const config = { password: "" };', 'const passwordLabel = "Password";', 'if (password === "letmein") fail();', 'const placeholder = "Enter your password";', 'const config = { password: "<your password>" };'],
  },
  { rule: 'hardcoded-credential', ext: 'py', positive: ['DB_PASSWORD = "hunter22"', 'client = Client(api_key="k3y-for-prod")'], negative: ['DB_PASSWORD = os.environ["DB_PASSWORD"]', 'if password == "letmein":', 'api_key = "YOUR_API_KEY"'] },
  { rule: 'hardcoded-credential', ext: 'go', positive: ['password := "hunter22"'], negative: ['password := os.Getenv("PASSWORD")'] },
  { rule: 'hardcoded-credential', ext: 'java', positive: ['String password = "hunter22";'], negative: ['String password = System.getenv("PASSWORD");'] },
  { rule: 'hardcoded-credential', ext: 'cs', positive: ['var connection = new Conn { Password = "hunter22" };'], negative: ['var connection = new Conn { Password = config["Password"] };'] },
  { rule: 'hardcoded-credential', ext: 'rb', positive: ["config.password = 'hunter22'", 'Client.new(api_key: "k3y-for-prod")'], negative: ["config.password = ENV['PASSWORD']"] },
  { rule: 'hardcoded-credential', ext: 'php', positive: ["$password = 'hunter22';", "$cfg = ['password' => 'hunter22'];"], negative: ["$password = getenv('PASSWORD');"] },
  { rule: 'hardcoded-credential', ext: 'sh', positive: ['DB_PASSWORD="hunter22"'], negative: ['DB_PASSWORD="${DB_PASSWORD:?}"', 'read -s DB_PASSWORD'] },
  // weak-random
  {
    rule: 'weak-random',
    ext: 'ts',
    positive: ['const token = Math.random().toString(36).slice(2);', 'const resetCode = Math.floor(Math.random() * 1e6);'],
    negative: ['const jitter = Math.random() * 100;', 'const token = crypto.randomBytes(32).toString("hex");', 'const id = crypto.randomUUID();'],
  },
  { rule: 'weak-random', ext: 'py', positive: ['token = "".join(random.choice(ALPHABET) for _ in range(32))', 'otp = random.randint(100000, 999999)'], negative: ['delay = random.random() * 2', 'token = secrets.token_urlsafe(32)', 'otp = secrets.randbelow(1000000)'] },
  { rule: 'weak-random', ext: 'go', positive: ['sessionID := rand.Int63()'], negative: ['n := rand.Intn(len(backends))', '_, err := rand.Read(token)'] },
  { rule: 'weak-random', ext: 'java', positive: ['int resetToken = new Random().nextInt();'], negative: ['byte[] token = new byte[32]; new SecureRandom().nextBytes(token);', 'int dice = new Random().nextInt(6);'] },
  { rule: 'weak-random', ext: 'cs', positive: ['var token = new Random().Next().ToString();'], negative: ['var token = RandomNumberGenerator.GetBytes(32);', 'var roll = new Random().Next(6);'] },
  { rule: 'weak-random', ext: 'rb', positive: ['token = rand(36**20).to_s(36)'], negative: ['token = SecureRandom.hex(20)', 'delay = rand(5)'] },
  { rule: 'weak-random', ext: 'php', positive: ['$token = md5(uniqid());', '$resetCode = mt_rand(100000, 999999);'], negative: ['$token = bin2hex(random_bytes(32));', '$dice = mt_rand(1, 6);'] },
  { rule: 'weak-random', ext: 'sh', positive: ['TOKEN="$RANDOM$RANDOM"'], negative: ['TOKEN="$(openssl rand -hex 32)"', 'SLEEP=$((RANDOM % 10))'] },
];
