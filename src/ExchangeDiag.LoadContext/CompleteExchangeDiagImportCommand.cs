using System;
using System.IO;
using System.Management.Automation;

namespace ExchangeDiag.LoadContext;

/// <summary>
/// Complete-ExchangeDiagImport: the psm1's one step on PowerShell 7, once the nested manifest has imported
/// the cmdlets. A cmdlet rather than a .NET method call: the first method call of a session makes
/// PowerShell compile its whole method binder, tens of milliseconds that a command call does not cost.
/// Not exported: the manifest lists the module's cmdlets.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "ExchangeDiagImport")]
public sealed class CompleteExchangeDiagImportCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        PSModuleInfo? module = SessionState.Module;
        if (module == null)
        {
            return;
        }

        try
        {
            ModuleSetup.Complete(module, ModuleLoadContext.LoadModule(Path.Combine(module.ModuleBase, "bin", "net8.0")));
        }
        catch (InvalidOperationException ex)
        {
            // Another copy of the module already runs in this session (ModuleLoadContext.LoadModule).
            ThrowTerminatingError(new ErrorRecord(ex, "ExchangeDiagAlreadyLoaded", ErrorCategory.ResourceExists, module.ModuleBase));
        }
    }
}
