using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using ExchangeDiag.Reporting;
using Microsoft.PowerShell.Commands;

namespace ExchangeDiag.Commands;

/// <summary>
/// Export-ExchangeDiagnosticReport: writes the diagnoses it receives into one HTML, Markdown or
/// JSON file. Every input is collected first, so a pipeline of mailboxes gives one document.
/// </summary>
[Cmdlet(VerbsData.Export, "ExchangeDiagnosticReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportExchangeDiagnosticReportCommand : PSCmdlet
{
    // UTF-8 without a byte order mark: what browsers, Markdown tools and JSON parsers all expect.
    private static readonly Encoding FileEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly List<DiagnosticReport> _reports = new List<DiagnosticReport>();
    private string _fullPath = string.Empty;
    private ReportFormat _format;

    /// <summary>The diagnoses to write, as Invoke-ExchangeDiagnostic returns them.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DiagnosticReport[] InputObject { get; set; } = Array.Empty<DiagnosticReport>();

    /// <summary>The file to write, relative to the current PowerShell location.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Html, Markdown or Json; by default, the one the file's extension names.</summary>
    [Parameter]
    public ReportFormat Format { get; set; }

    /// <summary>The language of the headings and labels; by default, the PowerShell UI culture.</summary>
    [Parameter]
    [ValidateNotNull]
    public CultureInfo? Culture { get; set; }

    /// <summary>Refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Return the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        // Checked before any input is collected: a wrong path or format should not wait for a long diagnosis.
        _fullPath = ResolveFileSystemPath(Path);
        _format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : FormatFromExtension(_fullPath);
        if (NoClobber.IsPresent && File.Exists(_fullPath))
        {
            ThrowFileExists();
        }

        // Begin runs before the cmdlets upstream send anything: a folder that is not there stops the
        // pipeline now, not after an hour of diagnosis whose results would then be lost.
        if (Directory.Exists(_fullPath))
        {
            var error = new IOException($"-Path '{_fullPath}' is a folder; give the name of the report file to write in it.");
            ThrowTerminatingError(new ErrorRecord(error, "PathIsAFolder", ErrorCategory.InvalidArgument, _fullPath));
        }

        string? folder = System.IO.Path.GetDirectoryName(_fullPath);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            var error = new DirectoryNotFoundException($"The folder '{folder}' does not exist, so the report '{System.IO.Path.GetFileName(_fullPath)}' cannot be written there. Create it first (New-Item -ItemType Directory).");
            ThrowTerminatingError(new ErrorRecord(error, "ReportFolderNotFound", ErrorCategory.ObjectNotFound, folder));
        }
    }

    protected override void ProcessRecord() => _reports.AddRange(InputObject);

    protected override void EndProcessing()
    {
        if (_reports.Count == 0)
        {
            var error = new ArgumentException("No diagnostic report was given, so no file was written.");
            WriteError(new ErrorRecord(error, "NoDiagnosticReport", ErrorCategory.InvalidArgument, null));
            return;
        }

        string action = $"Write a {_format} report of {_reports.Count} mailbox(es)";
        if (!ShouldProcess(_fullPath, action))
        {
            return;
        }

        string text = ReportWriter.Write(_format, _reports, Culture ?? CultureInfo.CurrentUICulture);
        try
        {
            // CreateNew makes -NoClobber hold even if the file appeared during the diagnosis.
            using (var stream = new FileStream(_fullPath, NoClobber.IsPresent ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.Read))
            using (var writer = new StreamWriter(stream, FileEncoding))
            {
                writer.Write(text);
            }
        }
        catch (IOException) when (NoClobber.IsPresent && File.Exists(_fullPath))
        {
            ThrowFileExists();
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ReportNotWritten", ErrorCategory.WriteError, _fullPath));
        }

        WriteVerbose($"Wrote the {_format} report of {_reports.Count} mailbox(es) to {_fullPath}.");
        if (PassThru.IsPresent)
        {
            WriteObject(new FileInfo(_fullPath));
        }
    }

    private string ResolveFileSystemPath(string path)
    {
        // The PowerShell location, not the process's working directory, is what a relative path means to the user.
        string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            var error = new ArgumentException($"-Path '{path}' is not a file system path (it belongs to the {provider.Name} provider).");
            ThrowTerminatingError(new ErrorRecord(error, "NotAFileSystemPath", ErrorCategory.InvalidArgument, path));
        }

        return resolved;
    }

    private ReportFormat FormatFromExtension(string path)
    {
        ReportFormat? format = ReportWriter.FormatFromExtension(path);
        if (format == null)
        {
            string extension = System.IO.Path.GetExtension(path);
            var error = new ArgumentException(
                $"The report format cannot be told from the file name '{System.IO.Path.GetFileName(path)}'" +
                (extension.Length == 0 ? string.Empty : $" (extension '{extension}')") +
                $": give -Format Html, Markdown or Json, or end the name with {string.Join(", ", ReportWriter.KnownExtensions)}.");
            ThrowTerminatingError(new ErrorRecord(error, "UnknownReportFormat", ErrorCategory.InvalidArgument, Path));
        }

        return format!.Value;
    }

    private void ThrowFileExists()
    {
        var error = new IOException($"The file '{_fullPath}' already exists and -NoClobber was given.");
        ThrowTerminatingError(new ErrorRecord(error, "FileExists", ErrorCategory.ResourceExists, _fullPath));
    }
}
