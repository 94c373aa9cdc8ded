using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// Loads ExchangeDiag and its dependencies (DnsClient, MailKit, MimeKit, BouncyCastle) into an
/// AssemblyLoadContext of their own, so that another module that already loaded other versions
/// of those libraries into PowerShell does not break this one, and the other way round.
/// This assembly itself is loaded into the default context by PowerShell, as the first nested
/// module of bin/ExchangeDiag.Loader.psd1 (ModuleResolver).
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new object();
    private static ModuleLoadContext? _loaded;

    // What the host (PowerShell and its .NET) already has: "trusted platform assemblies".
    private static readonly Lazy<Dictionary<string, string>> Platform = new Lazy<Dictionary<string, string>>(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.OrdinalIgnoreCase));

    private readonly string _directory;

    private ModuleLoadContext(string directory)
        : base("ExchangeDiag", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>
    /// Loads the cmdlet assembly from <paramref name="directory"/>; a repeated import of the same
    /// folder reuses its context. .NET cannot unload the cmdlets of another copy already imported
    /// in this session, so a second folder is refused rather than silently running the first.
    /// </summary>
    public static Assembly LoadModule(string directory)
    {
        string full = Path.GetFullPath(directory);
        lock (Gate)
        {
            _loaded ??= new ModuleLoadContext(full);
            if (!string.Equals(_loaded._directory, full, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"ExchangeDiag from {_loaded._directory} is already loaded in this session; start a new PowerShell session to use the copy in {full}.");
            }

            return _loaded.LoadFromAssemblyName(new AssemblyName("ExchangeDiag"));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string path = Path.Combine(_directory, assemblyName.Name + ".dll");
        bool isLoader = assemblyName.Name == typeof(ModuleLoadContext).Assembly.GetName().Name;
        if (isLoader || !File.Exists(path))
        {
            return null;
        }

        // The module ships the newer System.* libraries its dependencies need on PowerShell 7.4;
        // where PowerShell already has a version that will do, its copy is the one to share.
        if (Platform.Value.TryGetValue(assemblyName.Name!, out string? platformPath)
            && AssemblyName.GetAssemblyName(platformPath).Version >= (assemblyName.Version ?? new Version()))
        {
            return null;
        }

        return LoadFromAssemblyPath(path);
    }
}
