import type { CorpusCase } from '../format';
import { fence } from './text';

export const CSHARP_CASES: readonly CorpusCase[] = [
  // 1. closers right of the cursor
  {
    id: 'cs-closers-01',
    class: 'closers',
    language: 'csharp',
    doc: `class Report
{
    void Print(int total)
    {
        Console.WriteLine(█);
    }
}
`,
    reply: '$"Total: {total}"',
    after: `class Report
{
    void Print(int total)
    {
        Console.WriteLine($"Total: {total}"█);
    }
}
`,
  },
  {
    id: 'cs-closers-02',
    class: 'closers',
    language: 'csharp',
    doc: `class Users
{
    List<string> Names(List<User> users)
    {
        return users.Where(█)
    }
}
`,
    reply: 'u => u.IsActive).Select(u => u.Name).ToList();',
    after: `class Users
{
    List<string> Names(List<User> users)
    {
        return users.Where(u => u.IsActive).Select(u => u.Name).ToList();█
    }
}
`,
  },
  {
    id: 'cs-closers-03',
    class: 'closers',
    language: 'csharp',
    doc: `class Paths
{
    string Config(string root)
    {
        return Path.Combine(root, "█");
    }
}
`,
    reply: 'appsettings.json");',
    after: `class Paths
{
    string Config(string root)
    {
        return Path.Combine(root, "appsettings.json");█
    }
}
`,
  },
  {
    id: 'cs-closers-04',
    class: 'closers',
    language: 'csharp',
    doc: `class Geometry
{
    public double Area(█)
}
`,
    reply: 'double width, double height) => width * height;',
    after: `class Geometry
{
    public double Area(double width, double height) => width * height;█
}
`,
  },
  {
    id: 'cs-closers-05',
    class: 'closers',
    language: 'csharp',
    doc: `class Setup
{
    Options Defaults()
    {
        return new Options {█};
    }
}
`,
    reply: ' Retries = 3, Timeout = TimeSpan.FromSeconds(5) ',
    after: `class Setup
{
    Options Defaults()
    {
        return new Options { Retries = 3, Timeout = TimeSpan.FromSeconds(5) █};
    }
}
`,
    note: 'The space the model put before the auto-inserted "}" is part of the line reading right.',
  },
  // 2. where a multi-line suggestion stops
  {
    id: 'cs-stops-01',
    class: 'stops',
    language: 'csharp',
    doc: `class Loader
{
    string Read(string path)
    {
        try
        {
            █
        }
    }
}
`,
    reply: `return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;`,
    after: `class Loader
{
    string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;█
        }
    }
}
`,
  },
  {
    id: 'cs-stops-02',
    class: 'stops',
    language: 'csharp',
    doc: `class Signs
{
    static string Sign(int n)
    {
        if (n > 0)
        {█
    }
}
`,
    reply: `
            return "positive";
        }
        else
        {
            return "not positive";
        }`,
    after: `class Signs
{
    static string Sign(int n)
    {
        if (n > 0)
        {
            return "positive";
        }
        else
        {
            return "not positive";
        }█
    }
}
`,
    note: 'Allman braces: "else" and its "{" are lines of their own, and the suggestion goes on through them.',
  },
  {
    id: 'cs-stops-03',
    class: 'stops',
    language: 'csharp',
    doc: `class Store
{
    public async Task<User> FindAsync(int id)
    {█
}
`,
    reply: `
        var user = await db.Users.FindAsync(id);

        if (user is null)
        {
            throw new KeyNotFoundException();
        }
        return user;
    }`,
    after: `class Store
{
    public async Task<User> FindAsync(int id)
    {
        var user = await db.Users.FindAsync(id);

        if (user is null)
        {
            throw new KeyNotFoundException();
        }
        return user;
    }█
}
`,
  },
  {
    id: 'cs-stops-04',
    class: 'stops',
    language: 'csharp',
    doc: `class Pool
{
    void Release(Connection c)
    {
        Monitor.Enter(sync);
        try
        {
            idle.Add(c);
        }
        █
    }
}
`,
    reply: `finally
        {
            Monitor.Exit(sync);
        }`,
    after: `class Pool
{
    void Release(Connection c)
    {
        Monitor.Enter(sync);
        try
        {
            idle.Add(c);
        }
        finally
        {
            Monitor.Exit(sync);
        }█
    }
}
`,
  },
  {
    id: 'cs-stops-05',
    class: 'stops',
    language: 'csharp',
    doc: `class Grades
{
    string Grade(int score)
    {
        if (score >= 90)
        {
            █
        }
        return "C";
    }
}
`,
    reply: `return "A";
        }
        else if (score >= 80)
        {
            return`,
    finishReason: 'length',
    after: `class Grades
{
    string Grade(int score)
    {
        if (score >= 90)
        {
            return "A";█
        }
        return "C";
    }
}
`,
  },
  // 3. overlap with the code after the cursor
  {
    id: 'cs-overlap-01',
    class: 'overlap',
    language: 'csharp',
    doc: `class Account
{
    void Withdraw(decimal amount)
    {
        █
        balance -= amount;
    }
}
`,
    reply: `if (amount > balance) throw new InvalidOperationException();
        balance -= amount;`,
    after: `class Account
{
    void Withdraw(decimal amount)
    {
        if (amount > balance) throw new InvalidOperationException();█
        balance -= amount;
    }
}
`,
  },
  {
    id: 'cs-overlap-02',
    class: 'overlap',
    language: 'csharp',
    doc: `class App
{
    static void Main()
    {
        var config = Config.Load();
        █
        Run(config);
    }
}
`,
    reply: `config.Validate();
        Run(config) ;`,
    after: `class App
{
    static void Main()
    {
        var config = Config.Load();
        config.Validate();█
        Run(config);
    }
}
`,
  },
  {
    id: 'cs-overlap-03',
    class: 'overlap',
    language: 'csharp',
    doc: `class App
{
    static void Main()
    {
        var config = Config.Load();
        █
        Run(config);
    }
}
`,
    reply: 'Run(config);',
    after: null,
  },
  {
    id: 'cs-overlap-04',
    class: 'overlap',
    language: 'csharp',
    doc: `class Tree
{
    int Depth(Node n)
    {
        if (n == null)
        {█
    }
}
`,
    reply: `
            return 0;
        }`,
    after: `class Tree
{
    int Depth(Node n)
    {
        if (n == null)
        {
            return 0;
        }█
    }
}
`,
  },
  {
    id: 'cs-overlap-05',
    class: 'overlap',
    language: 'csharp',
    doc: `class Mail
{
    void Send()
    {
        client.Send(█, message);
    }
}
`,
    reply: 'recipient, message);',
    after: `class Mail
{
    void Send()
    {
        client.Send(recipient█, message);
    }
}
`,
  },
  // 4. repetition
  {
    id: 'cs-repetition-01',
    class: 'repetition',
    language: 'csharp',
    doc: `class Startup
{
    void Configure(IServiceCollection services)
    {
        █
    }
}
`,
    reply: `services.AddLogging();
        services.AddLogging();
        services.AddLogging();
        services.AddLogging();
        services.AddLogging();`,
    after: `class Startup
{
    void Configure(IServiceCollection services)
    {
        services.AddLogging();█
    }
}
`,
  },
  {
    id: 'cs-repetition-02',
    class: 'repetition',
    language: 'csharp',
    doc: `class Startup
{
    void Configure(IServiceCollection services)
    {
        █
    }
}
`,
    reply: `services.AddLogging();
        services.AddRouting();
        services.AddControllers();`,
    after: `class Startup
{
    void Configure(IServiceCollection services)
    {
        services.AddLogging();
        services.AddRouting();
        services.AddControllers();█
    }
}
`,
  },
  {
    id: 'cs-repetition-03',
    class: 'repetition',
    language: 'csharp',
    doc: `class Poller
{
    async Task Poll()
    {
        █
    }
}
`,
    reply: `await Task.Delay(100);
        await Refresh();
        await Task.Delay(100);
        await Refresh();
        await Task.Delay(100);
        await Refresh();
        await Task.Delay(100);`,
    finishReason: 'length',
    after: `class Poller
{
    async Task Poll()
    {
        await Task.Delay(100);
        await Refresh();█
    }
}
`,
  },
  // 5. junk from the model
  {
    id: 'cs-junk-01',
    class: 'junk',
    language: 'csharp',
    doc: `class Checks
{
    static bool IsBlank(string s)
    {
        █
    }
}
`,
    reply: fence('csharp', 'return string.IsNullOrWhiteSpace(s);'),
    templates: ['fim'],
    after: `class Checks
{
    static bool IsBlank(string s)
    {
        return string.IsNullOrWhiteSpace(s);█
    }
}
`,
  },
  {
    id: 'cs-junk-02',
    class: 'junk',
    language: 'csharp',
    doc: `█
namespace App;
`,
    reply: `// Path: src/App/Program.cs
using System.Text;`,
    after: `using System.Text;█
namespace App;
`,
  },
  {
    id: 'cs-junk-03',
    class: 'junk',
    language: 'csharp',
    doc: `class Ids
{
    int Next()
    {
        return █
    }
}
`,
    reply: 'Interlocked.Increment(ref counter);<|repo_name|>',
    chatReply: '<COMPLETION>Interlocked.Increment(ref counter);</COMPLETION>',
    after: `class Ids
{
    int Next()
    {
        return Interlocked.Increment(ref counter);█
    }
}
`,
  },
  {
    id: 'cs-junk-04',
    class: 'junk',
    language: 'csharp',
    doc: `class Program
{
    static void Main()
    {
        █
    }
}
`,
    reply: '\u200bConsole.WriteLine("ready");',
    after: `class Program
{
    static void Main()
    {
        Console.WriteLine("ready");█
    }
}
`,
  },
  {
    id: 'cs-junk-05',
    class: 'junk',
    language: 'csharp',
    doc: `class Sizes
{
    int Count()
    {
        return items█
    }
}
`,
    reply: '.Count;',
    after: `class Sizes
{
    int Count()
    {
        return items.Count;█
    }
}
`,
  },
  {
    id: 'cs-junk-06',
    class: 'junk',
    language: 'csharp',
    doc: `class Program
{
    static void Main()
    {
        █
    }
}
`,
    reply: '.',
    after: null,
  },
  // 6. whitespace at the cursor
  {
    id: 'cs-whitespace-01',
    class: 'whitespace',
    language: 'csharp',
    doc: `class Server
{
    void Start()
    {
        var port = █
    }
}
`,
    reply: ' 5000;',
    after: `class Server
{
    void Start()
    {
        var port = 5000;█
    }
}
`,
  },
  {
    id: 'cs-whitespace-02',
    class: 'whitespace',
    language: 'csharp',
    doc: `class Guard
{
    void Check(object o)
    {
        if (o == null)
        {
            █
        }
    }
}
`,
    reply: `
            throw new ArgumentNullException(nameof(o));`,
    after: `class Guard
{
    void Check(object o)
    {
        if (o == null)
        {
            throw new ArgumentNullException(nameof(o));█
        }
    }
}
`,
  },
  {
    id: 'cs-whitespace-03',
    class: 'whitespace',
    language: 'csharp',
    doc: `class Guard
{
    string Name()
    {
        return █
    }
}
`,
    reply: '\tname;',
    after: `class Guard
{
    string Name()
    {
        return name;█
    }
}
`,
  },
  {
    id: 'cs-whitespace-04',
    class: 'whitespace',
    language: 'csharp',
    doc: `class Guard
{
    string Name()
    {
█
    }
}
`,
    reply: '        return name;',
    after: `class Guard
{
    string Name()
    {
        return name;█
    }
}
`,
  },
  // 7. indentation
  {
    id: 'cs-indentation-01',
    class: 'indentation',
    language: 'csharp',
    doc: `namespace App;

public class Main
{█`,
    reply: `
  public static void Run()
  {
    Console.WriteLine("hi");
  }
}`,
    after: `namespace App;

public class Main
{
  public static void Run()
  {
    Console.WriteLine("hi");
  }
}█`,
    note: 'No indented line and no editor options: keep the model\'s steps.',
  },
  {
    id: 'cs-indentation-02',
    class: 'indentation',
    language: 'csharp',
    doc: `namespace App;

public class Main
{█`,
    reply: `
  public static void Run()
  {
    Console.WriteLine("hi");
  }
}`,
    formatting: { tabSize: 4, insertSpaces: true },
    after: `namespace App;

public class Main
{
    public static void Run()
    {
        Console.WriteLine("hi");
    }
}█`,
  },
  {
    id: 'cs-indentation-03',
    class: 'indentation',
    language: 'csharp',
    doc: `class Query
{
    string Build()
    {
        █
    }
}
`,
    reply: `var sql = "SELECT * FROM users " +
                  "WHERE id = @id";`,
    after: `class Query
{
    string Build()
    {
        var sql = "SELECT * FROM users " +
                  "WHERE id = @id";█
    }
}
`,
    note: 'A continuation aligned under the string keeps its column.',
  },
  // 8. completing a partly typed line
  {
    id: 'cs-partial-01',
    class: 'partial',
    language: 'csharp',
    doc: `class Orders
{
    int Open(List<Order> orders)
    {
        var open = orders.█
    }
}
`,
    reply: `Count(o => o.IsOpen);
        logger.LogInformation("open: {Open}", open);
        return open;`,
    after: `class Orders
{
    int Open(List<Order> orders)
    {
        var open = orders.Count(o => o.IsOpen);█
    }
}
`,
  },
  {
    id: 'cs-partial-02',
    class: 'partial',
    language: 'csharp',
    doc: `class Reader
{
    async Task<string> Load(string path)
    {
        var text = await File.█
    }
}
`,
    reply: `ReadAllTextAsync(path);
        return text;`,
    chatReply: fence('csharp', 'var text = await File.ReadAllTextAsync(path);\n        return text;'),
    after: `class Reader
{
    async Task<string> Load(string path)
    {
        var text = await File.ReadAllTextAsync(path);█
    }
}
`,
  },
  {
    id: 'cs-partial-03',
    class: 'partial',
    language: 'csharp',
    doc: `class Sum
{
    int Total(int[] xs)
    {
        var total = 0;
        foreach (var x in xs)
        {█
    }
}
`,
    reply: `
            total += x;
        }
        return total;`,
    after: `class Sum
{
    int Total(int[] xs)
    {
        var total = 0;
        foreach (var x in xs)
        {
            total += x;
        }█
    }
}
`,
    note: 'The line opens a block: the suggestion ends with that block.',
  },
  // 9. suggest-widget selection
  {
    id: 'cs-selection-01',
    class: 'selection',
    language: 'csharp',
    doc: `class Text
{
    bool Hidden(string name)
    {
        return name.Starts█
    }
}
`,
    reply: 'With(".");',
    selected: { replace: 'Starts', text: 'StartsWith' },
    after: `class Text
{
    bool Hidden(string name)
    {
        return name.StartsWith(".");█
    }
}
`,
  },
  {
    id: 'cs-selection-02',
    class: 'selection',
    language: 'csharp',
    doc: `class Text
{
    string Clean(string s)
    {
        return s.Trim().To█
    }
}
`,
    reply: 'Upper();',
    selected: { replace: 'To', text: 'ToLowerInvariant' },
    after: null,
  },
  {
    id: 'cs-selection-03',
    class: 'selection',
    language: 'csharp',
    doc: `class Program
{
    static void Main()
    {
        Console.█
    }
}
`,
    reply: 'WriteLine("ready");',
    selected: { replace: '', text: 'WriteLine' },
    after: `class Program
{
    static void Main()
    {
        Console.WriteLine("ready");█
    }
}
`,
  },
  // Variations
  {
    id: 'cs-closers-06',
    class: 'closers',
    language: 'csharp',
    doc: `class Log
{
    void Write(string path)
    {
        File.AppendAllText(path, $"{DateTime.Now}: █");
    }
}
`,
    reply: '{message}\\n");',
    after: `class Log
{
    void Write(string path)
    {
        File.AppendAllText(path, $"{DateTime.Now}: {message}\\n");█
    }
}
`,
  },
  {
    id: 'cs-stops-06',
    class: 'stops',
    language: 'csharp',
    doc: `class Io
{
    void Copy(Stream a, Stream b)
    {
        using (a)
        {█
    }
}
`,
    reply: `
            a.CopyTo(b);
        }
        b.Flush();`,
    after: `class Io
{
    void Copy(Stream a, Stream b)
    {
        using (a)
        {
            a.CopyTo(b);
        }█
    }
}
`,
  },
  {
    id: 'cs-overlap-06',
    class: 'overlap',
    language: 'csharp',
    doc: `class Point
{
    public int X { get; set; }
    █
    public int Z { get; set; }
}
`,
    reply: `public int Y { get; set; }
    public int Z { get; set;}`,
    after: `class Point
{
    public int X { get; set; }
    public int Y { get; set; }█
    public int Z { get; set; }
}
`,
  },
  {
    id: 'cs-junk-07',
    class: 'junk',
    language: 'csharp',
    doc: `class Program
{
    static int Main()
    {
        return █
    }
}
`,
    reply: '0;</s>',
    after: `class Program
{
    static int Main()
    {
        return 0;█
    }
}
`,
  },
  {
    id: 'cs-whitespace-05',
    class: 'whitespace',
    language: 'csharp',
    doc: `class Program
{
    static void Main()
    {
        var name =  █
    }
}
`,
    reply: '"x";',
    after: `class Program
{
    static void Main()
    {
        var name =  "x";█
    }
}
`,
    note: 'The person typed two spaces: the suggestion does not rewrite what is before the cursor.',
  },
  {
    id: 'cs-partial-04',
    class: 'partial',
    language: 'csharp',
    doc: `class Program
{
    static void Main(string[] args)
    {
        var count = args.█
    }
}
`,
    reply: `Length;
        Console.WriteLine(count);`,
    after: `class Program
{
    static void Main(string[] args)
    {
        var count = args.Length;█
    }
}
`,
  },
  {
    id: 'cs-stops-07',
    class: 'stops',
    language: 'csharp',
    doc: `class Codes
{
    static string Name(int code) => code switch
    {█
}
`,
    reply: `
        200 => "ok",
        404 => "not found",
        _ => "error",
    };`,
    after: `class Codes
{
    static string Name(int code) => code switch
    {
        200 => "ok",
        404 => "not found",
        _ => "error",
    };█
}
`,
  },
  {
    id: 'cs-stops-08',
    class: 'stops',
    language: 'csharp',
    doc: `class Logs
{
    void Rotate()
    {
        var dir = @"C:\\logs\\";
        if (Directory.Exists(dir))
        {█
    }
}
`,
    reply: `
            Archive(dir);
        }`,
    after: `class Logs
{
    void Rotate()
    {
        var dir = @"C:\\logs\\";
        if (Directory.Exists(dir))
        {
            Archive(dir);
        }█
    }
}
`,
    note: 'In a verbatim string a backslash escapes nothing: the string ends at its second quote.',
  },
];
