using System;
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
    /// Resolves <paramref name="server"/> through the check's DNS servers and connects to the first
    /// address that answers, recording each attempt; concludes the result Unreachable and returns
    /// null when none does.
    /// </summary>
    public static async Task<Socket?> ConnectAsync(string server, int port, DnsQuerier dns, CheckResult result, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(server, out IPAddress? literal))
        {
            addresses = new[] { literal };
        }
        else
        {
            HostResolution resolution = await dns.ResolveHostAsync(server, cancellationToken).ConfigureAwait(false);
            result.AddStep($"DNS {server}", resolution.Resolves ? CheckStatus.Passed : resolution.IsUnknown ? CheckStatus.Error : CheckStatus.Failed, resolution.Detail);
            if (!resolution.Resolves)
            {
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, $"{server} could not be reached: it {resolution.Detail}.", $"Check the server name, and that {server} has an A or AAAA record.");
                return null;
            }

            addresses = resolution.Addresses.Select(IPAddress.Parse).ToArray();
        }

        foreach (IPAddress address in addresses)
        {
            var clock = Stopwatch.StartNew();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
#if NET
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
#else
                using (cancellationToken.Register(() => socket.Dispose()))
                {
                    await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, (EndPoint)new IPEndPoint(address, port), null).ConfigureAwait(false);
                }
#endif
                result.AddStep($"TCP {server}:{port}", CheckStatus.Passed, $"connected to {address}", clock.Elapsed);
                return socket;
            }
            catch (Exception ex) when ((ex is SocketException || ex is ObjectDisposedException) && cancellationToken.IsCancellationRequested)
            {
                // .NET Framework ends a connect by disposing the socket: that is the deadline.
                socket.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                socket.Dispose();
                result.AddStep($"TCP {server}:{port}", CheckStatus.Error, $"could not connect to {address}: {(ex as SocketException)?.SocketErrorCode.ToString() ?? ex.Message}", clock.Elapsed);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        string tried = string.Join("; ", result.Steps.Where(s => s.Name.StartsWith("TCP ", StringComparison.Ordinal)).Select(s => s.Detail));
        result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, $"{server}:{port} could not be reached: {tried}.", $"Check that {server} is up and that port {port} is open from here.");
        return null;
    }
}
