using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ExchangeDiag.Commands;

/// <summary>
/// Registers Should -BeHealthyMailbox (ExchangeDiag.Pester.ps1) with a Pester imported after the
/// module: the import registers it only when Pester is already loaded. An infrastructure
/// test runs an ExchangeDiag cmdlet before it asserts on the report, so the cmdlet's start is the
/// moment. It costs one integer comparison per cmdlet until Pester's assembly loads in the process,
/// and then one short script per runspace and per Pester load.
/// </summary>
internal static class PesterOperator
{
    private static readonly ConditionalWeakTable<Runspace, StrongBox<int>> CheckedAt = new ConditionalWeakTable<Runspace, StrongBox<int>>();

    private static readonly string ScriptFile = Path.GetFullPath(Path.Combine(
        Path.GetDirectoryName(typeof(PesterOperator).Assembly.Location) ?? string.Empty, "..", "..", "ExchangeDiag.Pester.ps1"));

    /// <summary>How many Pester assemblies the process has loaded: every Pester 5 loads Pester.dll at import.</summary>
    private static int _pesterLoads;

    static PesterOperator()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            if (IsPester(e.LoadedAssembly))
            {
                Interlocked.Increment(ref _pesterLoads);
            }
        };
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (IsPester(assembly))
            {
                Interlocked.Increment(ref _pesterLoads);
            }
        }
    }

    private static bool IsPester(Assembly assembly) => assembly.GetName().Name == "Pester";

    /// <summary>Call on the pipeline thread.</summary>
    public static void EnsureRegistered(PSCmdlet cmdlet)
    {
        int loads = Volatile.Read(ref _pesterLoads);
        Runspace? runspace = Runspace.DefaultRunspace;
        if (loads == 0 || runspace == null)
        {
            return;
        }

        StrongBox<int> checkedAt = CheckedAt.GetValue(runspace, _ => new StrongBox<int>(0));
        if (checkedAt.Value >= loads || !File.Exists(ScriptFile))
        {
            return;
        }

        try
        {
            // Only once Pester was found here: a runspace that has not imported it yet (its assembly
            // loaded by another runspace, no new load to come) is asked again at its next cmdlet.
            Collection<PSObject> found = cmdlet.InvokeCommand.InvokeScript("& $args[0]", true, PipelineResultTypes.None, null, ScriptFile);
            if (found.Count > 0 && found[found.Count - 1]?.BaseObject is bool registered && registered)
            {
                checkedAt.Value = loads;
            }
        }
        catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
        {
            // A constrained runspace, say: the operator is a comfort for tests, never the check.
            checkedAt.Value = loads;
            cmdlet.WriteVerbose($"Should -BeHealthyMailbox could not be registered with Pester: {ex.Message}");
        }
    }
}
