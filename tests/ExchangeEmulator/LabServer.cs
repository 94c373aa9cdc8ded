using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExchangeEmulator;

/// <summary>
/// Kestrel with one endpoint per configured listener, and one dispatcher: the lab-control and
/// CRL paths answer on any host, everything else goes by the Host header to the host's role.
/// </summary>
public sealed class LabServer
{
    private readonly Dictionary<string, HostSpec> hosts;
    private readonly AccountStore accounts;
    private readonly ExchangeHost exchange;
    private readonly OvhApi? ovhApi;
    private readonly IdentityProvider? identityProvider;
    private readonly byte[] crl;
    private readonly string crlPath;
    private int plainHttpCredentials;

    private LabServer(LabConfig config, byte[] crl, LabTokens? tokens, Dictionary<string, X509Certificate2> appCertificates)
    {
        hosts = config.Hosts.ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);
        accounts = new AccountStore(config, TimeProvider.System);
        exchange = new ExchangeHost(config, accounts, tokens);
        identityProvider = tokens is null ? null : new IdentityProvider(tokens, accounts, appCertificates, TimeProvider.System);
        ovhApi = config.OvhApi is null ? null : new OvhApi(config.OvhApi);
        this.crl = crl;
        crlPath = new Uri(config.CrlUrl).AbsolutePath;
    }

    public static async Task<int> RunAsync(LabConfig config, string pkiDir, bool verbose)
    {
        var certificates = new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        var appCertificates = new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        LabTokens? tokens = null;
        byte[] crl;
        try
        {
            crl = File.ReadAllBytes(Path.Combine(pkiDir, LabPki.CrlFile));
            foreach (string name in config.Listeners.Select(l => l.Certificate).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            {
                certificates[name] = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(pkiDir, name + ".pfx"), null);
            }

            if (config.Identity is { } identity)
            {
                // Only the public certificate of an app is registered, as in Entra ID.
                foreach (string name in identity.Apps.Select(a => a.Certificate).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    appCertificates[name] = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pkiDir, name + ".crt"));
                }

                string authorityHost = config.Hosts.First(h => h.Role == HostRole.IdentityProvider).Name;
                tokens = new LabTokens(identity, authorityHost, X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(pkiDir, LabPki.SigningPfxFile), null));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine($"cannot read the lab PKI in {pkiDir} (run the pki mode first): {e.Message}");
            return 1;
        }

        var server = new LabServer(config, crl, tokens, appCertificates);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // stdout carries only the READY line that scripts wait for; diagnostics go to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // --verbose prints one line per request instead
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            foreach (ListenerSpec listener in config.Listeners)
            {
                kestrel.Listen(IPAddress.Parse(listener.Address), listener.Port, options =>
                {
                    if (listener.Certificate is not null)
                    {
                        options.UseHttps(certificates[listener.Certificate]);
                    }
                });
            }
        });

        WebApplication app = builder.Build();
        if (verbose)
        {
            app.Use(async (context, next) =>
            {
                await next(context);
                // Never the headers: they may hold credentials.
                Console.Error.WriteLine($"{context.Request.Method} {context.Request.Scheme}://{context.Request.Host}{context.Request.Path} -> {context.Response.StatusCode}");
            });
        }

        app.Run(server.DispatchAsync);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cannot bind every listener: {e.Message}");
            return 1;
        }

        Console.WriteLine("EMULATOR READY");
        Console.Out.Flush();
        await app.WaitForShutdownAsync();
        return 0;
    }

    private Task DispatchAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!request.IsHttps && request.Headers.Authorization.Count > 0)
        {
            // Proof for the tests that credentials crossed a plain-HTTP connection.
            Interlocked.Increment(ref plainHttpCredentials);
        }

        string path = request.Path.Value ?? "/";
        if (path.StartsWith("/_lab/", StringComparison.Ordinal))
        {
            return LabControlAsync(context, path["/_lab/".Length..]);
        }

        if (HttpMethods.IsGet(request.Method) && (path == "/" + LabPki.CrlFile || path == crlPath))
        {
            context.Response.ContentType = "application/pkix-crl";
            return context.Response.Body.WriteAsync(crl).AsTask();
        }

        if (ovhApi is not null && string.Equals(request.Host.Host, ovhApi.Host, StringComparison.OrdinalIgnoreCase))
        {
            return ovhApi.HandleAsync(context);
        }

        if (!hosts.TryGetValue(request.Host.Host, out HostSpec? host))
        {
            return Http.TextAsync(context, 404, "404 - host not served by this lab");
        }

        return host.Role switch
        {
            HostRole.Exchange => exchange.HandleAsync(context, host),
            HostRole.HttpRedirect => HttpRedirectAsync(context, host),
            HostRole.MtaSts => MtaStsPolicyAsync(context, host),
            HostRole.IdentityProvider => identityProvider!.HandleAsync(context),
            _ => Http.TextAsync(context, 200, "<html><body>It works</body></html>", "text/html"),
        };
    }

    /// <summary>The plain-HTTP autodiscover redirect of [MS-OXDISCO] step 3, and a trap for credentials.</summary>
    private static Task HttpRedirectAsync(HttpContext context, HostSpec host)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            // The challenge is deliberate: a correct client still must not answer it over HTTP.
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{context.Request.Host.Host}\"";
            return Http.TextAsync(context, 401, "401 - Unauthorized");
        }

        if (Http.PathIs(context, "/autodiscover/autodiscover.xml"))
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = host.RedirectTo;
            return Task.CompletedTask;
        }

        return Http.TextAsync(context, 404, "404 - Not Found");
    }

    /// <summary>
    /// An MTA-STS policy host (RFC 8461 §3.3): the policy at /.well-known/mta-sts.txt, or what a
    /// misconfigured one sends instead (a redirect, an error status, a wrong Content-Type).
    /// </summary>
    private static Task MtaStsPolicyAsync(HttpContext context, HostSpec host)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !Http.PathIs(context, "/.well-known/mta-sts.txt"))
        {
            return Http.TextAsync(context, 404, "404 - Not Found");
        }

        if (host.RedirectTo is not null)
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = host.RedirectTo;
            return Task.CompletedTask;
        }

        return Http.TextAsync(context, host.Status, host.Policy ?? $"{host.Status}", host.ContentType);
    }

    /// <summary>
    /// POST /_lab/accounts/{email}/state {"state": "disabled"}: what an administrator does to the account while a
    /// session holds its tokens; every protocol and the identity provider see the new state at once.
    /// </summary>
    private async Task SetAccountStateAsync(HttpContext context, string email)
    {
        string? name = null;
        try
        {
            using JsonDocument body = JsonDocument.Parse(await Http.ReadBodyAsync(context.Request));
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("state", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                name = value.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            name = null;
        }

        // Names only: Enum.TryParse would also take "3".
        if (name is null || name.Length == 0 || !char.IsLetter(name[0]) || !Enum.TryParse(name, ignoreCase: true, out AccountState state))
        {
            await Http.JsonAsync(context, 400, new { error = $"state must be one of {string.Join(", ", Enum.GetNames<AccountState>().Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))}" });
            return;
        }

        if (!accounts.SetState(email, state))
        {
            await Http.JsonAsync(context, 404, new { error = "unknown account" });
            return;
        }

        await Http.JsonAsync(context, 200, accounts.Status(email));
    }

    private Task LabControlAsync(HttpContext context, string rest)
    {
        string method = context.Request.Method;
        if (ovhApi is not null && rest.StartsWith("ovh/", StringComparison.Ordinal))
        {
            return ovhApi.ControlAsync(context, rest["ovh/".Length..]);
        }

        if (identityProvider is not null && HttpMethods.IsPost(method) && rest == "idp/signin")
        {
            return identityProvider.SignInControlAsync(context);
        }

        if (HttpMethods.IsPost(method) && rest.StartsWith("accounts/", StringComparison.Ordinal) && rest.EndsWith("/state", StringComparison.Ordinal))
        {
            return SetAccountStateAsync(context, rest["accounts/".Length..^"/state".Length]);
        }

        if (HttpMethods.IsGet(method) && rest.StartsWith("accounts/", StringComparison.Ordinal))
        {
            AccountStatus? status = accounts.Status(rest["accounts/".Length..]);
            return status is null
                ? Http.JsonAsync(context, 404, new { error = "unknown account" })
                : Http.JsonAsync(context, 200, status);
        }

        if (HttpMethods.IsPost(method) && rest == "reset")
        {
            accounts.Reset();
            ovhApi?.Reset();
            identityProvider?.Reset();
            Interlocked.Exchange(ref plainHttpCredentials, 0);
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }

        if (HttpMethods.IsGet(method) && rest == "plain-http-credentials")
        {
            return Http.JsonAsync(context, 200, new { count = Volatile.Read(ref plainHttpCredentials) });
        }

        return Http.JsonAsync(context, 404, new { error = "unknown lab control path" });
    }
}
