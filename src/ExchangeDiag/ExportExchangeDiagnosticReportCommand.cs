using System;
using System.Collections;
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
/// Reports that went through serialization (Import-Clixml, Start-Job, remoting, ConvertFrom-Json
/// of the JSON export) are rebuilt, and a single Test-* result makes a report of its own.
/// </summary>
[Cmdlet(VerbsData.Export, "ExchangeDiagnosticReport", SupportsShouldProcess = true, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Export-ExchangeDiagnosticReport.md")]
[OutputType(typeof(FileInfo))]
public sealed class ExportExchangeDiagnosticReportCommand : PSCmdlet
{
    // UTF-8 without a byte order mark: what browsers, Markdown tools and JSON parsers all expect.
    private static readonly Encoding FileEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly List<DiagnosticReport> _reports = new List<DiagnosticReport>();
    private string _fullPath = string.Empty;
    private ReportFormat _format;

    // What Start-Job and remoting add to every object they hand back.
    private static readonly HashSet<string> RemotingProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "PSComputerName", "RunspaceId", "PSShowComputerName" };

    /// <summary>
    /// The diagnoses to write, as Invoke-ExchangeDiagnostic returns them or as they come back from
    /// serialization; results of the Test-* cmdlets; or the whole JSON export read by ConvertFrom-Json.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

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
            var error = new IOException(Text("Report_PathIsFolder", _fullPath));
            ThrowTerminatingError(new ErrorRecord(error, "PathIsAFolder", ErrorCategory.InvalidArgument, _fullPath));
        }

        string? folder = System.IO.Path.GetDirectoryName(_fullPath);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            var error = new DirectoryNotFoundException(Text("Report_FolderNotFound", folder, System.IO.Path.GetFileName(_fullPath)));
            ThrowTerminatingError(new ErrorRecord(error, "ReportFolderNotFound", ErrorCategory.ObjectNotFound, folder));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (PSObject input in InputObject)
        {
            switch (input.BaseObject)
            {
                case DiagnosticReport report:
                    _reports.Add(report);
                    continue;
                case CheckResult result:
                    _reports.Add(ReportImport.FromResult(result, ModuleVersion));
                    continue;
            }

            if (Plain(input, 0) is PropertyBag properties)
            {
                switch (ReportImport.ShapeOf(properties))
                {
                    case ReportImport.Shape.Document:
                        _reports.AddRange(ReportImport.FromDocument(properties));
                        continue;
                    case ReportImport.Shape.Report:
                        _reports.Add(ReportImport.FromReport(properties));
                        continue;
                    case ReportImport.Shape.Result:
                        _reports.Add(ReportImport.FromResult(properties, ModuleVersion));
                        continue;
                }
            }

            var error = new ArgumentException(Text("Report_NotAReport", input));
            WriteError(new ErrorRecord(error, "NotADiagnosticReport", ErrorCategory.InvalidType, input));
        }
    }

    private static string ModuleVersion => typeof(DiagnosticReport).Assembly.GetName().Version?.ToString(3) ?? string.Empty;

    /// <summary>
    /// A deserialized object as a tree of plain values: property bags for objects, lists for
    /// collections, enum names for enums (Clixml keeps an enum as its number, with its name as text).
    /// </summary>
    /// <summary>
    /// The result's own type among a deserialized object's type names, past the view names such as
    /// ExchangeDiag.CheckResult#fr that a French run puts first (ViewNames).
    /// </summary>
    private static string? DeserializedResultType(PSObject wrapped)
    {
        foreach (string name in wrapped.TypeNames)
        {
            if (name.StartsWith("Deserialized.ExchangeDiag.", StringComparison.Ordinal) && name.IndexOf('#') < 0)
            {
                return name;
            }
        }

        return null;
    }

    internal static object? Plain(object? value, int depth)
    {
        // Deeper than any report nests: past it a value is its text, so a cycle cannot run away.
        if (depth > 12)
        {
            return value?.ToString();
        }

        if (value is PSObject wrapped)
        {
            object inner = wrapped.BaseObject;
            string? firstType = wrapped.TypeNames.Count > 0 ? wrapped.TypeNames[0] : null;
            bool deserialized = firstType != null && firstType.StartsWith("Deserialized.", StringComparison.Ordinal);
            if (deserialized && inner is IConvertible && !(inner is string) && wrapped.TypeNames.Contains("Deserialized.System.Enum"))
            {
                return wrapped.ToString();
            }

            if (firstType == "Deserialized.System.DateTimeOffset" && wrapped.Properties["UtcDateTime"]?.Value is DateTime utc)
            {
                // Clixml has no DateTimeOffset: it keeps its properties, of which the UTC time is enough.
                return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            }

            if (inner is PSCustomObject || (deserialized && !(inner is string) && !(inner is IEnumerable)))
            {
                var bag = new PropertyBag();
                bool result = wrapped.Properties["Check"] != null && wrapped.Properties["Target"] != null;
                string? resultType = deserialized && result && wrapped.Properties["Type"] == null ? DeserializedResultType(wrapped) : null;
                if (resultType != null)
                {
                    // The JSON export names each result's type; Clixml keeps it among the type names.
                    bag.Add("Type", resultType.Substring(resultType.LastIndexOf('.') + 1));
                }

                foreach (PSPropertyInfo property in wrapped.Properties)
                {
                    object? propertyValue = SafeValue(property);
                    if (RemotingProperties.Contains(property.Name) || (result && IsOutcomeSubject(wrapped, property.Name, propertyValue)))
                    {
                        continue;
                    }

                    bag.Add(property.Name, Plain(propertyValue, depth + 1));
                }

                return bag;
            }

            return Plain(inner, depth);
        }

        switch (value)
        {
            case null:
            case string _:
                return value;
            case Enum named:
                return named.ToString();
            case IDictionary dictionary:
                var bag = new PropertyBag();
                foreach (DictionaryEntry entry in dictionary)
                {
                    bag.Add(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, Plain(entry.Value, depth + 1));
                }

                return bag;
            case IEnumerable items:
                var list = new List<object?>();
                foreach (object? item in items)
                {
                    list.Add(Plain(item, depth + 1));
                }

                return list;
            default:
                return value;
        }
    }

    /// <summary>
    /// The Subject that serialization adds to every result from its interface (Check and Target
    /// together), which the result never showed; a certificate's own Subject is kept.
    /// </summary>
    private static bool IsOutcomeSubject(PSObject result, string name, object? value)
        => name == "Subject" && value is string text && text == $"{result.Properties["Check"]?.Value} {result.Properties["Target"]?.Value}";

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException)
        {
            return null;
        }
    }

    protected override void EndProcessing()
    {
        if (_reports.Count == 0)
        {
            var error = new ArgumentException(Text("Report_NoReport"));
            WriteError(new ErrorRecord(error, "NoDiagnosticReport", ErrorCategory.InvalidArgument, null));
            return;
        }

        string action = Text("Report_Action", _format, _reports.Count);
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
            var error = new ArgumentException(Text("Report_NotFileSystem", path, provider.Name));
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
            string known = string.Join(", ", ReportWriter.KnownExtensions);
            var error = new ArgumentException(extension.Length == 0
                ? Text("Report_UnknownFormat", System.IO.Path.GetFileName(path), known)
                : Text("Report_UnknownFormatExtension", System.IO.Path.GetFileName(path), extension, known));
            ThrowTerminatingError(new ErrorRecord(error, "UnknownReportFormat", ErrorCategory.InvalidArgument, Path));
        }

        return format!.Value;
    }

    /// <summary>An error or prompt text in the report's language: -Culture, else the PowerShell UI culture.</summary>
    private string Text(string key, params object?[] args) => Texts.Commands.Format(Culture ?? CultureInfo.CurrentUICulture, key, args);

    private void ThrowFileExists()
    {
        var error = new IOException(Text("Report_FileExists", _fullPath));
        ThrowTerminatingError(new ErrorRecord(error, "FileExists", ErrorCategory.ResourceExists, _fullPath));
    }
}
