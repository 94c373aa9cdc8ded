using System.Collections;
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
        // -InputObject (Import-Clixml discoveries.xml) gives an array: each element is turned back,
        // and the array binds when every one of them was a discovery.
        object? inner = inputData is PSObject outer ? outer.BaseObject : inputData;
        if (inner is IList list && !(inner is string))
        {
            var discoveries = new AutodiscoverResult[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                object? element = list[i];
                object? item = element is PSObject wrappedElement ? wrappedElement.BaseObject : element;
                AutodiscoverResult? discovery = item as AutodiscoverResult ?? FromDeserialized(element);
                if (discovery == null)
                {
                    return inputData;
                }

                discoveries[i] = discovery;
            }

            return discoveries;
        }

        return FromDeserialized(inputData) ?? inputData;
    }

    private static AutodiscoverResult? FromDeserialized(object? inputData)
        => inputData is PSObject wrapped && !(wrapped.BaseObject is AutodiscoverResult) && !(wrapped.BaseObject is string)
            && wrapped.Properties["Check"]?.Value?.ToString() == "Autodiscover"
            && ExportExchangeDiagnosticReportCommand.Plain(wrapped, 0) is PropertyBag properties
            ? ReportImport.Autodiscover(properties)
            : null;
}
