using System;
using System.Collections.Generic;
using System.IO;

namespace ExchangeDiag.Ovh;

/// <summary>
/// The ovh.conf file of the official clients: an INI file with <c>[default] endpoint=ovh-eu</c>
/// and one section per endpoint holding application_key, application_secret and consumer_key.
/// Read as Python's configparser reads it: "key = value" or "key: value", # and ; comment whole
/// lines, option names are case-insensitive, section names are not.
/// </summary>
internal sealed class OvhConfigFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

    public OvhConfigFile(string path)
    {
        Path = path;
    }

    /// <summary>The file the values came from.</summary>
    public string Path { get; }

    public static OvhConfigFile Parse(string text, string path)
    {
        var file = new OvhConfigFile(path);
        Dictionary<string, string>? section = null;
        string? lastKey = null;
        foreach (string rawLine in text.Replace("\r\n", "\n").Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
            {
                continue;
            }

            if (line[0] == '[' && line[line.Length - 1] == ']')
            {
                string name = line.Substring(1, line.Length - 2).Trim();
                if (!file._sections.TryGetValue(name, out section))
                {
                    section = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    file._sections[name] = section;
                }

                lastKey = null;
                continue;
            }

            if (section == null)
            {
                // configparser refuses a file whose first entry has no section; the official clients then read nothing.
                continue;
            }

            if (char.IsWhiteSpace(rawLine[0]) && lastKey != null)
            {
                section[lastKey] = section[lastKey] + "\n" + line;
                continue;
            }

            int separator = line.IndexOfAny(new[] { '=', ':' });
            if (separator <= 0)
            {
                continue;
            }

            lastKey = line.Substring(0, separator).Trim();
            section[lastKey] = line.Substring(separator + 1).Trim();
        }

        return file;
    }

    /// <summary>Reads a file; null when it does not exist or cannot be read (the official clients skip those).</summary>
    public static OvhConfigFile? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path), path) : null;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return null;
        }
    }

    public string? Get(string section, string key)
        => _sections.TryGetValue(section, out Dictionary<string, string>? values) && values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    /// <summary>
    /// Where the official clients look, lowest precedence first: /etc/ovh.conf, ~/.ovh.conf,
    /// then ovh.conf in the current directory; a later file's value wins over an earlier one's.
    /// </summary>
    public static IReadOnlyList<string> Locations(string currentDirectory, string? home)
    {
        var paths = new List<string> { "/etc/ovh.conf" };
        if (!string.IsNullOrEmpty(home))
        {
            paths.Add(System.IO.Path.Combine(home, ".ovh.conf"));
        }

        paths.Add(System.IO.Path.Combine(currentDirectory, "ovh.conf"));
        return paths;
    }
}
