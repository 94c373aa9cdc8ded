using System.Management.Automation;
using ExchangeDiag.Reporting;

namespace ExchangeDiag.Commands;

/// <summary>
/// Turns what is left of a Test-ExchangeAutodiscover result after serialization (Import-Clixml,
/// Start-Job, remoting, ConvertFrom-Json of its JSON) back into an <see cref="AutodiscoverResult"/>,
/// so it binds to -InputObject by type, as the live result does, before its Server or Url property
/// could bind by name. Anything else passes through unchanged, for the other parameters to bind.
/// </summary>
internal sealed class DeserializedAutodiscoverAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (inputData is PSObject wrapped && !(wrapped.BaseObject is AutodiscoverResult) && !(wrapped.BaseObject is string)
            && wrapped.Properties["Check"]?.Value?.ToString() == "Autodiscover"
            && ExportExchangeDiagnosticReportCommand.Plain(wrapped, 0) is PropertyBag properties)
        {
            return ReportImport.Autodiscover(properties) ?? inputData;
        }

        return inputData;
    }
}
