using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace ExchangeDiag.Ovh;

/// <summary>Credentials given as parameters; any of them may be missing.</summary>
public sealed class OvhCredentialParameters
{
    public string? Endpoint { get; set; }

    public string? ApplicationKey { get; set; }

    public SecureString? ApplicationSecret { get; set; }

    public SecureString? ConsumerKey { get; set; }

    public bool IsEmpty => Endpoint == null && ApplicationKey == null && ApplicationSecret == null && ConsumerKey == null;
}

/// <summary>
/// Finds the credentials the way the official clients do, value by value: parameters first, then
/// the OVH_* environment variables, then ovh.conf (current directory, home, /etc, in that order).
/// </summary>
public static class OvhCredentialResolver
{
    private const string DefaultEndpoint = "ovh-eu";

    /// <summary>
    /// The credentials found; null with <paramref name="error"/> set when some are found but not
    /// all (or the endpoint is not valid), and null with no error when none are found at all.
    /// </summary>
    public static OvhCredentials? Resolve(OvhCredentialParameters parameters, Func<string, string?> environment, string currentDirectory, string? home, out string? error)
    {
        var files = OvhConfigFile.Locations(currentDirectory, home)
            .Select(OvhConfigFile.TryRead)
            .Where(f => f != null)
            .Reverse() // highest precedence first
            .ToList();
        var sources = new List<string>();

        string? endpointName = Pick(parameters.Endpoint, environment("OVH_ENDPOINT"), files, "default", "endpoint", sources);
        bool anyEndpoint = endpointName != null;
        endpointName ??= DefaultEndpoint;
        string localFile = OvhConfigFile.Locations(currentDirectory, home).Last();
        if (sources.LastOrDefault() == localFile && !OvhEndpoints.Names.Contains(endpointName, StringComparer.OrdinalIgnoreCase))
        {
            // The current folder may be anyone's checkout: its ovh.conf must not send the keys (and,
            // for the provider's diagnosis, the mailbox password) to a host of its choosing.
            error = Texts.Commands.Format("Ovh_LocalFileEndpoint", localFile, endpointName);
            return null;
        }

        string? key = Pick(parameters.ApplicationKey, environment("OVH_APPLICATION_KEY"), files, endpointName, "application_key", sources);
        SecureString? secret = PickSecret(parameters.ApplicationSecret, environment("OVH_APPLICATION_SECRET"), files, endpointName, "application_secret", sources);
        SecureString? consumer = PickSecret(parameters.ConsumerKey, environment("OVH_CONSUMER_KEY"), files, endpointName, "consumer_key", sources);

        error = null;
        if (key == null && secret == null && consumer == null)
        {
            if (anyEndpoint && !parameters.IsEmpty)
            {
                error = Texts.Commands["Ovh_OnlyEndpoint"];
            }

            return null;
        }

        var missing = new List<string>();
        if (key == null)
        {
            missing.Add(Texts.Commands["Ovh_MissingKey"]);
        }

        if (secret == null)
        {
            missing.Add(Texts.Commands["Ovh_MissingSecret"]);
        }

        if (consumer == null)
        {
            missing.Add(Texts.Commands["Ovh_MissingConsumer"]);
        }

        if (missing.Count > 0)
        {
            error = Texts.Commands.Format("Ovh_Incomplete", endpointName, string.Join(Texts.Commands["Ovh_MissingSeparator"], missing));
            return null;
        }

        Uri? endpoint = OvhEndpoints.Resolve(endpointName, out error);
        if (endpoint == null)
        {
            return null;
        }

        return new OvhCredentials(endpoint, key!, secret!, consumer!, string.Join(", ", sources.Distinct()));
    }

    private static string? Pick(string? parameter, string? variable, List<OvhConfigFile?> files, string section, string name, List<string> sources)
    {
        if (!string.IsNullOrEmpty(parameter))
        {
            sources.Add("parameters");
            return parameter;
        }

        if (!string.IsNullOrEmpty(variable))
        {
            sources.Add("environment");
            return variable;
        }

        foreach (OvhConfigFile? file in files)
        {
            string? value = file!.Get(section, name);
            if (value != null)
            {
                sources.Add(file.Path);
                return value;
            }
        }

        return null;
    }

    private static SecureString? PickSecret(SecureString? parameter, string? variable, List<OvhConfigFile?> files, string section, string name, List<string> sources)
    {
        if (parameter != null && parameter.Length > 0)
        {
            sources.Add("parameters");
            return parameter;
        }

        string? plain = Pick(null, variable, files, section, name, sources);
        return plain == null ? null : OvhCredentials.Protect(plain);
    }
}
