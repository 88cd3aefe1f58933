namespace BnnHdl.Cli;

/// <summary>
/// Where commands write: results to stdout, progress and errors to stderr. Progress on a
/// terminal updates one line in place; when stderr is redirected (CI, logs) it prints a
/// line per stage and at most every tenth of the layers, so logs stay short.
/// </summary>
public sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    private readonly bool _interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
    private bool _lineOpen;

    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>A progress sink for one stage over <paramref name="total"/> layers.</summary>
    public IProgress<string> Stage(string stage, int total) => new StageProgress(this, stage, total);

    public void EndProgress()
    {
        if (!_lineOpen) return;
        Error.WriteLine();
        _lineOpen = false;
    }

    private sealed class StageProgress(CliConsole console, string stage, int total) : IProgress<string>
    {
        private int _done;
        private int _lastTenth = -1;

        // Stages may report from several threads at once (the reference beside the simulator,
        // the parts of a split run): one line at a time.
        public void Report(string layer)
        {
            lock (console) Write(layer);
        }

        private void Write(string layer)
        {
            _done++;
            string text = $"{stage}: {_done}/{total} {layer}";
            if (console._interactive)
            {
                console.Error.Write("\r\u001b[K" + text);
                console._lineOpen = true;
                if (_done == total) console.EndProgress();
                return;
            }
            int tenth = total == 0 ? 10 : _done * 10 / total;
            if (tenth != _lastTenth || _done == total)
            {
                _lastTenth = tenth;
                console.Error.WriteLine(text);
            }
        }
    }
}
