using System.CommandLine;
using NoiseLab.Cli;
using NoiseLab.Cli.Commands;

var root = new RootCommand("NoiseLab: noise injection experiments on TorchSharp. Train a model with or without noise, and compare.")
{
    TrainCommand.Create(),
};
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"noiselab: {error.Message}");
    Console.Error.WriteLine("Run 'noiselab --help' (or 'noiselab COMMAND --help') for the accepted options.");
    return ExitCodes.BadInput;
}
return parsed.Invoke();
