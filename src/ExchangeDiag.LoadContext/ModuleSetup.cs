using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// What the import does once the cmdlet assembly is in (Complete-ExchangeDiagImport), in C#: the same
/// steps as script cost about 50 ms of compiling and binding on every Import-Module.
/// </summary>
public static class ModuleSetup
{
    private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    private static readonly MethodInfo? AddAccelerator = Accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
    private static readonly MethodInfo? RemoveAccelerator = Accelerators?.GetMethod("Remove", new[] { typeof(string) });

    // The type accelerators the last Complete registered, for Remove.
    private static string[] _registered = Array.Empty<string>();

    /// <summary>
    /// Makes the public result types usable as type literals ([ExchangeDiag.CheckStatus]): PowerShell
    /// resolves type names only among the default context's assemblies; registers Should -BeHealthyMailbox
    /// when Pester is loaded; and removes the type names with the module.
    /// </summary>
    public static void Complete(PSModuleInfo module, Assembly binary)
    {
        RegisterPesterOperator(module);

        // The script block runs at Remove-Module only. ModuleSetup remembers the names it registered:
        // a closure (GetNewClosure) would copy the module's scope.
        module.OnRemove = ScriptBlock.Create("[ExchangeDiag.LoadContext.ModuleSetup]::Remove()");

        Assembly? core = AssemblyLoadContext.GetLoadContext(binary)?.LoadFromAssemblyName(new AssemblyName("ExchangeDiag.Core"));
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

    /// <summary>
    /// Registers Should -BeHealthyMailbox (ExchangeDiag.Pester.ps1) when Pester is loaded. Pester's
    /// assembly, which every Pester 5 loads at import, tells in microseconds; a first Get-Module, or
    /// any script line, would cost the import milliseconds. The cmdlets register it for a Pester
    /// imported later (PesterOperator).
    /// </summary>
    private static void RegisterPesterOperator(PSModuleInfo module)
    {
        string script = Path.Combine(module.ModuleBase, "ExchangeDiag.Pester.ps1");
        if (!AppDomain.CurrentDomain.GetAssemblies().Any(a => a.FullName?.StartsWith("Pester,", StringComparison.Ordinal) == true) || !File.Exists(script))
        {
            return;
        }

        try
        {
            module.SessionState.InvokeCommand.InvokeScript(false, ScriptBlock.Create("& $args[0]"), null, script);
        }
        catch (RuntimeException)
        {
            // A constrained session, say: the operator is a comfort for tests, never a reason to fail the import.
        }
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
