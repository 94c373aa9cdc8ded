using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeDkim: does a domain publish usable DKIM keys?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeDkim")]
[OutputType(typeof(DkimCheckResult), typeof(bool))]
public sealed class TestExchangeDkimCommand : DnsCheckCommand<DkimCheckResult>
{
    private string[]? _selectors;

    /// <summary>The selectors to check (the s= of a DKIM-Signature header); without it, common selectors are tried.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 16)]
    public string[]? Selector { get; set; }

    protected override void Begin()
    {
        _selectors = Selector?.Select(NormalizeSelector).Distinct(StringComparer.Ordinal).ToArray();
        base.Begin();
    }

    protected override Task<DkimCheckResult> CheckAsync(string domain, CancellationToken stop)
        => DkimCheck.RunAsync(domain, _selectors, Provider, Dns, Timeout, stop);

    /// <summary>A selector in DNS form (lower case, no trailing dot); stops the invocation when it is not one or more DNS labels.</summary>
    private string NormalizeSelector(string value)
    {
        string selector = (value ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        string[] labels = selector.Split('.');
        bool valid = selector.Length > 0 && selector.Length <= 200 && labels.All(label =>
            label.Length > 0 && label.Length <= 63 && label.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'));
        if (!valid)
        {
            var exception = new ArgumentException($"-Selector '{value}' is not a DKIM selector: it must be DNS labels of letters, digits, hyphens and underscores, 1 to 63 characters each.");
            ThrowTerminatingError(new ErrorRecord(exception, "InvalidSelector", ErrorCategory.InvalidArgument, value));
        }

        return selector;
    }
}
