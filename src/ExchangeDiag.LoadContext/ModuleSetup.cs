using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// What the psm1 does once the cmdlet assembly is imported, in C#: the same steps as script cost
/// about 50 ms of compiling and binding on every Import-Module.
/// </summary>
public static class ModuleSetup
{
    private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    private static readonly MethodInfo? AddAccelerator = Accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
    private static readonly MethodInfo? RemoveAccelerator = Accelerators?.GetMethod("Remove", new[] { typeof(string) });

    // The type accelerators the last Complete registered, for Remove.
    private static string[] _registered = Array.Empty<string>();

    /// <summary>
    /// Adds the inner binary module's cmdlets to the script module (PowerShell does not when it
    /// reuses a cached import: PowerShell issue 20710), and makes the public result types usable
    /// as type literals ([ExchangeDiag.CheckStatus]): PowerShell resolves type names only among the
    /// default context's assemblies. <see cref="Remove"/> removes them with the module.
    /// </summary>
    public static void Complete(PSModuleInfo module, PSModuleInfo inner, Assembly binary)
    {
        MethodInfo? addCmdlet = typeof(PSModuleInfo).GetMethod("AddExportedCmdlet", BindingFlags.Instance | BindingFlags.NonPublic);
        foreach (CmdletInfo cmdlet in inner.ExportedCmdlets.Values)
        {
            addCmdlet?.Invoke(module, new object[] { cmdlet });
        }

        Assembly? core = AssemblyLoadContext.GetLoadContext(binary)?.Assemblies.FirstOrDefault(a => a.GetName().Name == "ExchangeDiag.Core");
        if (core == null || AddAccelerator == null || RemoveAccelerator == null)
        {
            return;
        }

        var names = new List<string>();
        foreach (Type type in core.GetExportedTypes().Where(t => t.Namespace == "ExchangeDiag"))
        {
            RemoveAccelerator.Invoke(null, new object[] { type.FullName! });
            AddAccelerator.Invoke(null, new object[] { type.FullName!, type });
            names.Add(type.FullName!);
        }

        _registered = names.ToArray();
    }

    /// <summary>Removes the type accelerators <see cref="Complete"/> registered.</summary>
    public static void Remove()
    {
        foreach (string name in Interlocked.Exchange(ref _registered, Array.Empty<string>()))
        {
            RemoveAccelerator?.Invoke(null, new object[] { name });
        }
    }
}
