using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// Loads ExchangeDiag and its dependencies (DnsClient, MailKit, MimeKit, BouncyCastle) into an
/// AssemblyLoadContext of their own, so that another module that already loaded other versions
/// of those libraries into PowerShell does not break this one, and the other way round.
/// This assembly itself is loaded into the default context by the module's psm1.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new object();
    private static ModuleLoadContext? _instance;
    private readonly string _directory;

    private ModuleLoadContext(string directory)
        : base("ExchangeDiag", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>Loads the cmdlet assembly from <paramref name="directory"/>; repeated imports reuse the same context.</summary>
    public static Assembly LoadModule(string directory)
    {
        lock (Gate)
        {
            _instance ??= new ModuleLoadContext(directory);
            return _instance.LoadFromAssemblyName(new AssemblyName("ExchangeDiag"));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Only the module's own files load here; PowerShell and the framework come from the default context.
        string path = Path.Combine(_directory, assemblyName.Name + ".dll");
        bool isLoader = assemblyName.Name == typeof(ModuleLoadContext).Assembly.GetName().Name;
        return !isLoader && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
