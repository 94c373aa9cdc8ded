using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// Runs when PowerShell imports this assembly, the first nested module of bin/ExchangeDiag.Loader.psd1,
/// before that manifest's root module, which names the cmdlet assembly by name only ("ExchangeDiag.dll",
/// no such file beside the manifest). PowerShell then asks the default context for "ExchangeDiag",
/// which does not have it, and this answers with the copy in the module's own context. So PowerShell
/// imports the cmdlets as a plain binary module: no script compiles them in, which was most of the
/// import's time (issue 13).
/// </summary>
public sealed class ModuleResolver : IModuleAssemblyInitializer
{
    private static readonly string Directory = Path.GetDirectoryName(typeof(ModuleResolver).Assembly.Location)!;

    private static int _hooked;

    public void OnImport()
    {
        // Once per process: every Import-Module -Force runs OnImport again.
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "ExchangeDiag" ? ModuleLoadContext.LoadModule(Directory) : null;
}
