using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace ExchangeEmulator;

// Entry point: "pki" writes the lab certificates, "serve" runs the emulated server until killed.
public static class Program
{
    private const string Usage =
        "usage: ExchangeEmulator pki --out <dir> --config <lab.json>\n" +
        "       ExchangeEmulator serve --config <lab.json> --pki <dir> [--verbose]";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !TryParseOptions(args[1..], out Dictionary<string, string> options))
        {
            return Fail(Usage);
        }

        if (!options.TryGetValue("config", out string? configPath))
        {
            return Fail(Usage);
        }

        LabConfig config;
        try
        {
            config = LabConfig.Load(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail($"{configPath}: {e.Message}");
        }

        switch (args[0])
        {
            case "pki" when options.TryGetValue("out", out string? outDir):
                LabPki.Create(config, outDir);
                Console.WriteLine($"PKI written to {Path.GetFullPath(outDir)}");
                return 0;
            case "serve" when options.TryGetValue("pki", out string? pkiDir):
                return await LabServer.RunAsync(config, pkiDir, options.ContainsKey("verbose"));
            default:
                return Fail(Usage);
        }
    }

    private static bool TryParseOptions(string[] args, out Dictionary<string, string> options)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }

            string name = args[i][2..];
            if (name == "verbose")
            {
                options[name] = "";
            }
            else if (i + 1 < args.Length)
            {
                options[name] = args[++i];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
