using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>TCP connections for the checks that speak a protocol themselves (TLS, SMTP, IMAP).</summary>
internal static class TcpConnect
{
    /// <summary>
    /// Resolves <paramref name="server"/> as a connect target (the operating system's resolver, or
    /// -DnsServer when given; see <see cref="DnsQuerier.ResolveConnectTargetAsync"/>) and connects to the first
    /// address that answers, recording each attempt; concludes the result Unreachable and returns
    /// null when none does.
    /// </summary>
    /// <param name="attemptTimeout">The longest one address may take to accept; null for the whole deadline.</param>
    /// <param name="asMailServer">
    /// Resolve through DNS alone, as a mail server on the internet delivering to an MX host does:
    /// a hosts-file entry on this computer would prove nothing about how mail reaches the domain.
    /// </param>
    public static async Task<Socket?> ConnectAsync(string server, int port, DnsQuerier dns, CheckResult result, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null, bool asMailServer = false)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(server, out IPAddress? literal))
        {
            addresses = new[] { literal };
        }
        else
        {
            HostResolution resolution = asMailServer
                ? await dns.ResolveHostAsync(server, cancellationToken).ConfigureAwait(false)
                : await dns.ResolveConnectTargetAsync(server, cancellationToken).ConfigureAwait(false);
            result.AddStep($"DNS {server}", resolution.Resolves ? CheckStatus.Passed : resolution.IsUnknown ? CheckStatus.Error : CheckStatus.Failed, resolution.Detail);
            if (!resolution.Resolves)
            {
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, Texts.Messages.Format("Tcp_NotResolved", server, resolution.Failure()), Texts.Messages.Format("Web_NameNotResolved_Remediation", server));
                return null;
            }

            addresses = resolution.Addresses.Select(IPAddress.Parse).ToArray();
        }

        var attempts = new List<Phrase>();
        foreach (IPAddress address in addresses)
        {
            var clock = Stopwatch.StartNew();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (attemptTimeout.HasValue)
            {
                attempt.CancelAfter(attemptTimeout.Value);
            }

            try
            {
#if NET
                await socket.ConnectAsync(new IPEndPoint(address, port), attempt.Token).ConfigureAwait(false);
#else
                using (attempt.Token.Register(() => socket.Dispose()))
                {
                    await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, (EndPoint)new IPEndPoint(address, port), null).ConfigureAwait(false);
                }
#endif
                result.AddStep($"TCP {server}:{port}", CheckStatus.Passed, $"connected to {address}", clock.Elapsed);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
            {
                socket.Dispose();
                if (cancellationToken.IsCancellationRequested)
                {
                    // The check's own deadline (.NET Framework ends a connect by disposing the socket).
                    throw new OperationCanceledException(cancellationToken);
                }

                // A timeout is the module's own words; a socket error code or .NET's message is quoted in French as foreign text.
                var attemptFailed = attempt.IsCancellationRequested
                    ? new Phrase(Texts.Messages, "Tcp_Attempt", address, new Phrase(Texts.Messages, "Tcp_NoAnswerWithin", attemptTimeout!.Value.TotalSeconds))
                    : new Phrase(Texts.Messages, "Tcp_AttemptSaid", address, (ex as SocketException)?.SocketErrorCode.ToString() ?? ex.Message);
                attempts.Add(attemptFailed);
                result.AddStep($"TCP {server}:{port}", CheckStatus.Error, attemptFailed.Trace, clock.Elapsed);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        string tried = string.Join("; ", attempts);
        result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, Texts.Messages.Format("Tcp_Unreachable", server, port, tried), Texts.Messages.Format("Tcp_Unreachable_Remediation", server, port));
        return null;
    }
}
