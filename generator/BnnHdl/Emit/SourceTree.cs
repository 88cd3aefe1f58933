namespace BnnHdl.Emit;

/// <summary>
/// The hand-written hardware sources of the repository: <c>templates/</c> (Verilog building
/// blocks and Handlebars templates) and <c>testbench/</c> (co-simulation harnesses). They are
/// read from the repository at run time: the folder named by the BNN_HDL_HOME environment
/// variable, else the nearest folder above the running program that holds
/// <c>templates/bnn_engine.v</c>.
/// </summary>
public sealed class SourceTree
{
    public const string HomeVariable = "BNN_HDL_HOME";

    public string Root { get; }
    public string Templates => Path.Combine(Root, "templates");
    public string Testbench => Path.Combine(Root, "testbench");

    private SourceTree(string root) => Root = root;

    private static readonly Lazy<SourceTree> Located = new(Locate);

    /// <summary>The repository's source tree (located once per process).</summary>
    public static SourceTree Default => Located.Value;

    /// <summary>A source tree rooted at <paramref name="root"/>, which must hold templates/bnn_engine.v.</summary>
    public static SourceTree At(string root)
    {
        if (!IsRoot(root))
            throw new BnnHdlException($"'{root}' is not a bnn-hdl source tree: it has no templates/bnn_engine.v");
        return new SourceTree(Path.GetFullPath(root));
    }

    public string Template(string name) => Read(Templates, name);
    public string Harness(string name) => Read(Testbench, name);

    private static string Read(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        if (!File.Exists(path)) throw new BnnHdlException($"source file {Path.GetFileName(folder)}/{name} is missing");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    private static SourceTree Locate()
    {
        string? home = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrEmpty(home)) return At(home);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (IsRoot(dir.FullName)) return new SourceTree(dir.FullName);
        throw new BnnHdlException(
            $"cannot find the bnn-hdl templates (templates/bnn_engine.v) above the program folder; set {HomeVariable} to the repository root");
    }

    private static bool IsRoot(string dir) => File.Exists(Path.Combine(dir, "templates", "bnn_engine.v"));
}
