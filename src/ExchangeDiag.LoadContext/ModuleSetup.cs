using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

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

    /// <summary>
    /// Adds the inner binary module's cmdlets to the script module (PowerShell does not when it
    /// reuses a cached import: PowerShell issue 20710), and makes the public result types usable
    /// as type literals ([ExchangeDiag.CheckStatus]): PowerShell resolves type names only among the
    /// default context's assemblies. Returns the names registered, to remove when the module is.
    /// </summary>
    public static string[] Complete(PSModuleInfo module, PSModuleInfo inner, Assembly binary)
    {
        MethodInfo? addCmdlet = typeof(PSModuleInfo).GetMethod("AddExportedCmdlet", BindingFlags.Instance | BindingFlags.NonPublic);
        foreach (CmdletInfo cmdlet in inner.ExportedCmdlets.Values)
        {
            addCmdlet?.Invoke(module, new object[] { cmdlet });
        }

        Assembly? core = AssemblyLoadContext.GetLoadContext(binary)?.Assemblies.FirstOrDefault(a => a.GetName().Name == "ExchangeDiag.Core");
        if (core == null || AddAccelerator == null || RemoveAccelerator == null)
        {
            return Array.Empty<string>();
        }

        var names = new List<string>();
        foreach (Type type in core.GetExportedTypes().Where(t => t.Namespace == "ExchangeDiag"))
        {
            RemoveAccelerator.Invoke(null, new object[] { type.FullName! });
            AddAccelerator.Invoke(null, new object[] { type.FullName!, type });
            names.Add(type.FullName!);
        }

        return names.ToArray();
    }

    /// <summary>
    /// True when an assembly of that name is loaded in the process, such as Pester's, which every
    /// Pester 5 loads at import: a few microseconds, where a first Get-Module costs the import milliseconds.
    /// </summary>
    public static bool IsAssemblyLoaded(string name)
    {
        string prefix = name + ",";
        return AppDomain.CurrentDomain.GetAssemblies().Any(a => a.FullName?.StartsWith(prefix, StringComparison.Ordinal) == true);
    }

    /// <summary>Removes the type accelerators <see cref="Complete"/> registered.</summary>
    public static void Remove(string[] names)
    {
        foreach (string name in names)
        {
            RemoveAccelerator?.Invoke(null, new object[] { name });
        }
    }
}
