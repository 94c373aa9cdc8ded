#if !NET
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace ExchangeDiag.Commands;

/// <summary>
/// Windows PowerShell has no binding redirects for modules, and the dependencies disagree on the
/// versions of the System.* helpers they reference (DnsClient wants System.Buffers 4.0.3.0,
/// MailKit ships 4.0.5.0). This hands .NET Framework the copy the module ships, whatever version
/// was asked for. PowerShell 7 needs none of it: the module's AssemblyLoadContext resolves there.
/// </summary>
public sealed class DesktopAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string Directory = Path.GetDirectoryName(typeof(DesktopAssemblyResolver).Assembly.Location)!;

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        string path = Path.Combine(Directory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
#endif
