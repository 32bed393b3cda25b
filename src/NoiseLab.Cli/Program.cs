using System.CommandLine;
using System.CommandLine.Help;
using NoiseLab.Cli;
using NoiseLab.Cli.Commands;

// A plain Command named like the tool, not RootCommand, whose name would be the assembly's (NoiseLab.Cli).
var root = new Command("noiselab", "NoiseLab: noise injection experiments on TorchSharp. Train a model with or without noise, and compare.")
{
    TrainCommand.Create(),
    SweepCommand.Create(),
    ReportCommand.Create(),
    StatusCommand.Create(),
    ExportCommand.Create(),
    TuneCommand.Create(),
    BenchCommand.Create(),
};
root.Options.Add(new HelpOption { Recursive = true });
root.Options.Add(new VersionOption());
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"noiselab: {OptionErrors.Rewrite(error.Message)}");
    Console.Error.WriteLine("Run 'noiselab --help' (or 'noiselab COMMAND --help') for the accepted options.");
    return ExitCodes.BadInput;
}
return parsed.Invoke();
