using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>The OVH cmdlets about one mailbox: where it lives (-Organization, -Service) and its address checked.</summary>
public abstract class OvhAccountCommand : OvhCommand
{
    /// <summary>The Exchange organization, such as hosted-ab12345-1; found by listing when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>The Exchange service, such as hosted-ab12345-1; found by listing when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    /// <summary>No credentials at all stops the cmdlet before any input.</summary>
    protected override void Begin() => RequireClient();

    /// <summary>The address ready for the API, or null after a non-terminating InvalidEmailAddress error.</summary>
    protected string? EmailAddressOrError(string input)
    {
        string? address = HostNames.NormalizeEmailAddress(input, out string? why);
        if (address == null)
        {
            WriteError(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Input_Refused", input, why)), "InvalidEmailAddress", ErrorCategory.InvalidArgument, input));
        }

        return address;
    }

    /// <summary>Waits for one mailbox's check and writes its result.</summary>
    protected void WriteCheck<TResult>(Task<TResult> check)
        where TResult : CheckResult
    {
        TResult result = Await(check);
        Secrets.Clean(result);
        WriteVerbose($"{result.Check} {result.Target}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms.");
        WriteObject(ViewNames.ForCulture(result, CultureInfo.CurrentUICulture));
    }
}
