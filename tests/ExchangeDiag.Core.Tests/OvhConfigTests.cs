using System;
using System.Collections.Generic;
using System.IO;
using ExchangeDiag.Ovh;
using Xunit;

namespace ExchangeDiag.Tests;

public sealed class OvhConfigTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "exdiag-ovhconf-" + Guid.NewGuid().ToString("N"));
    private readonly string _cwd;
    private readonly string _home;

    public OvhConfigTests()
    {
        _cwd = Directory.CreateDirectory(Path.Combine(_root, "cwd")).FullName;
        _home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ParsesTheOfficialClientsFormat()
    {
        OvhConfigFile file = OvhConfigFile.Parse(
            "# comment\n; another\n[default]\nendpoint = ovh-ca\n\n[ovh-ca]\r\nApplication_Key=ak\r\napplication_secret: s=cr:t \nconsumer_key =  ck\n  continued\n[ovh-eu]\napplication_key=eu\n",
            "/x/ovh.conf");

        Assert.Equal("ovh-ca", file.Get("default", "endpoint"));
        Assert.Equal("ak", file.Get("ovh-ca", "application_key"));
        Assert.Equal("s=cr:t", file.Get("ovh-ca", "application_secret"));
        Assert.Equal("ck\ncontinued", file.Get("ovh-ca", "consumer_key"));
        Assert.Equal("eu", file.Get("ovh-eu", "APPLICATION_KEY"));
        Assert.Null(file.Get("OVH-CA", "application_key"));
        Assert.Null(file.Get("ovh-us", "application_key"));
    }

    [Fact]
    public void IgnoresEntriesBeforeAnySectionAndEmptyValues()
    {
        OvhConfigFile file = OvhConfigFile.Parse("endpoint=ovh-eu\n[ovh-eu]\napplication_key=\n", "ovh.conf");
        Assert.Null(file.Get("default", "endpoint"));
        Assert.Null(file.Get("ovh-eu", "application_key"));
    }

    [Fact]
    public void LooksWhereTheOfficialClientsLookLowestPrecedenceFirst()
        => Assert.Equal(new[] { "/etc/ovh.conf", Path.Combine("/h", ".ovh.conf"), Path.Combine("/c", "ovh.conf") }, OvhConfigFile.Locations("/c", "/h"));

    [Fact]
    public void FindsNothingWithoutAnySource()
    {
        Assert.Null(Resolve(new OvhCredentialParameters(), new Dictionary<string, string>(), out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void TakesEachValueFromTheHighestSourceThatHasIt()
    {
        Write(Path.Combine(_home, ".ovh.conf"), "home-key", "home-secret", "home-consumer");
        Write(Path.Combine(_cwd, "ovh.conf"), "cwd-key", "cwd-secret", null);
        var environment = new Dictionary<string, string> { ["OVH_APPLICATION_SECRET"] = "env-secret", ["OVH_ENDPOINT"] = "https://127.0.0.120/1.0" };
        var parameters = new OvhCredentialParameters { ApplicationKey = "param-key" };

        OvhCredentials credentials = Resolve(parameters, environment, out string? error)!;

        Assert.Null(error);
        Assert.Equal("https://127.0.0.120/1.0", credentials.Endpoint.AbsoluteUri);
        Assert.Equal("param-key", credentials.ApplicationKey);
        Assert.Equal("env-secret", OvhCredentials.Reveal(credentials.ApplicationSecret));
        Assert.Equal("home-consumer", OvhCredentials.Reveal(credentials.ConsumerKey));
        Assert.Equal($"environment, parameters, {Path.Combine(_home, ".ovh.conf")}", credentials.Source);
    }

    [Fact]
    public void LetsTheEnvironmentChooseTheEndpointAndItsSection()
    {
        File.WriteAllText(Path.Combine(_cwd, "ovh.conf"), "[ovh-ca]\napplication_key=ca-key\napplication_secret=ca-secret\nconsumer_key=ca-consumer\n");
        var environment = new Dictionary<string, string> { ["OVH_ENDPOINT"] = "ovh-ca" };

        OvhCredentials credentials = Resolve(new OvhCredentialParameters(), environment, out _)!;

        Assert.Equal("https://ca.api.ovh.com/1.0", credentials.Endpoint.AbsoluteUri);
        Assert.Equal("ca-key", credentials.ApplicationKey);
    }

    [Fact]
    public void TakesAUrlEndpointFromHomeButNotFromTheCurrentFolder()
    {
        Write(Path.Combine(_home, ".ovh.conf"), "k", "s", "c");
        Assert.Equal("https://127.0.0.120/1.0", Resolve(new OvhCredentialParameters(), new Dictionary<string, string>(), out _)!.Endpoint.AbsoluteUri);

        // Anyone's checkout may hold an ovh.conf: it must not send the keys to a host of its choosing.
        Write(Path.Combine(_cwd, "ovh.conf"), "k", "s", "c");
        Assert.Null(Resolve(new OvhCredentialParameters(), new Dictionary<string, string>(), out string? error));
        Assert.Contains("a URL is taken only from", error);

        var environment = new Dictionary<string, string> { ["OVH_ENDPOINT"] = "https://127.0.0.120/1.0" };
        Assert.NotNull(Resolve(new OvhCredentialParameters(), environment, out _));
    }

    [Fact]
    public void DefaultsToOvhEu()
    {
        var environment = new Dictionary<string, string> { ["OVH_APPLICATION_KEY"] = "k", ["OVH_APPLICATION_SECRET"] = "s", ["OVH_CONSUMER_KEY"] = "c" };
        Assert.Equal("https://eu.api.ovh.com/1.0", Resolve(new OvhCredentialParameters(), environment, out _)!.Endpoint.AbsoluteUri);
    }

    [Fact]
    public void NamesWhatIsMissingWithoutPrintingWhatIsThere()
    {
        var environment = new Dictionary<string, string> { ["OVH_APPLICATION_KEY"] = "k", ["OVH_APPLICATION_SECRET"] = "the-secret" };
        Assert.Null(Resolve(new OvhCredentialParameters(), environment, out string? error));
        Assert.Contains("consumer key", error);
        Assert.DoesNotContain("the-secret", error);
    }

    [Fact]
    public void RefusesAnEndpointThatIsNotOne()
    {
        var parameters = new OvhCredentialParameters { Endpoint = "ovh-xx", ApplicationKey = "k", ApplicationSecret = OvhCredentials.Protect("s"), ConsumerKey = OvhCredentials.Protect("c") };
        Assert.Null(Resolve(parameters, new Dictionary<string, string>(), out string? error));
        Assert.Contains("ovh-xx", error);
    }

    [Fact]
    public void NeverPrintsTheSecretsOfCredentials()
    {
        var credentials = new OvhCredentials(new Uri("https://eu.api.ovh.com/1.0"), "app", OvhCredentials.Protect("the-secret"), OvhCredentials.Protect("the-consumer"), "parameters");
        Assert.DoesNotContain("the-secret", credentials.ToString());
        Assert.DoesNotContain("the-consumer", credentials.ToString());
    }

    private OvhCredentials? Resolve(OvhCredentialParameters parameters, Dictionary<string, string> environment, out string? error)
        => OvhCredentialResolver.Resolve(parameters, name => environment.TryGetValue(name, out string? value) ? value : null, _cwd, _home, out error);

    private static void Write(string path, string key, string secret, string? consumer)
        => File.WriteAllText(path, $"[default]\nendpoint=https://127.0.0.120/1.0\n\n[https://127.0.0.120/1.0]\napplication_key={key}\napplication_secret={secret}\n{(consumer == null ? string.Empty : "consumer_key=" + consumer + "\n")}");
}
