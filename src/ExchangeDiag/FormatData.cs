using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ExchangeDiag.Commands;

/// <summary>
/// Loads the module's views (ExchangeDiag.Format.ps1xml) into a runspace the first time one of
/// its cmdlets begins there, instead of at Import-Module: adding a format file makes PowerShell
/// build its whole format database, about 100 ms that a session pays at its first formatted
/// output anyway, and that a script that only imports the module, or reads -Quiet answers, never needs.
/// The same first call deepens the serialization of reports and results, so that Export-Clixml,
/// Start-Job and remoting keep their steps and causes instead of flattening them to text at depth 1 or 2.
/// </summary>
internal static class FormatData
{
    private static readonly ConditionalWeakTable<Runspace, object> LoadedIn = new ConditionalWeakTable<Runspace, object>();

    /// <summary>The format file beside the manifest: the assembly sits in bin/&lt;framework&gt;/ below it.</summary>
    private static readonly string FormatFile = Path.GetFullPath(Path.Combine(
        Path.GetDirectoryName(typeof(FormatData).Assembly.Location) ?? string.Empty, "..", "..", "ExchangeDiag.Format.ps1xml"));

    /// <summary>Call on the pipeline thread, before the first result is written.</summary>
    public static void EnsureLoaded(PSCmdlet cmdlet)
    {
        Runspace? runspace = Runspace.DefaultRunspace;
        if (runspace == null || LoadedIn.TryGetValue(runspace, out _) || !File.Exists(FormatFile))
        {
            return;
        }

        lock (LoadedIn)
        {
            if (LoadedIn.TryGetValue(runspace, out _))
            {
                return;
            }

            try
            {
                // A scope of its own (no variable of the caller's is touched), and module-qualified,
                // so that no function or alias of the user's stands in for Update-FormatData.
                cmdlet.InvokeCommand.InvokeScript(
                    "Microsoft.PowerShell.Utility\\Update-TypeData -TypeName ExchangeDiag.DiagnosticReport -SerializationDepth 6 -Force; " +
                    "Microsoft.PowerShell.Utility\\Update-TypeData -TypeName ExchangeDiag.CheckResult -SerializationDepth 4 -Force; " +
                    "Microsoft.PowerShell.Utility\\Update-FormatData -AppendPath $args[0]",
                    true, PipelineResultTypes.None, null, FormatFile);
            }
            catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
            {
                // A runspace that refuses format updates (a shared format table, a constrained
                // endpoint) still gets the results, as lists: the views are a comfort, not the check.
                cmdlet.WriteVerbose($"The ExchangeDiag views could not be loaded: {ex.Message}");
            }

            LoadedIn.Add(runspace, FormatFile);
        }
    }
}
