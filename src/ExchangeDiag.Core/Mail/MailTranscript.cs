using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using MailKit;

namespace ExchangeDiag.Mail;

/// <summary>
/// Records an SMTP or IMAP conversation line by line, with MailKit's detector cutting every
/// authentication secret out before anything is kept: the transcript is safe to show.
/// </summary>
internal sealed class MailTranscript : IProtocolLogger
{
    private const string Redacted = "********";
    private readonly List<Line> _lines = new List<Line>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _client = new StringBuilder();
    private readonly StringBuilder _server = new StringBuilder();

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public IReadOnlyList<Line> Lines => _lines;

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        var text = new StringBuilder(Encoding.UTF8.GetString(buffer, offset, count));
        IList<AuthenticationSecret>? secrets = AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count);
        if (secrets != null && secrets.Count > 0)
        {
            // Rebuild the text with every secret range replaced (byte offsets; secrets are ASCII).
            var safe = new StringBuilder();
            int at = offset;
            foreach (AuthenticationSecret secret in secrets)
            {
                safe.Append(Encoding.UTF8.GetString(buffer, at, secret.StartIndex - at)).Append(Redacted);
                at = secret.StartIndex + secret.Length;
            }

            safe.Append(Encoding.UTF8.GetString(buffer, at, offset + count - at));
            text = safe;
        }

        Append(_client, text.ToString(), fromServer: false);
    }

    public void LogServer(byte[] buffer, int offset, int count)
        => Append(_server, Encoding.UTF8.GetString(buffer, offset, count), fromServer: true);

    public void Dispose()
    {
    }

    private void Append(StringBuilder pending, string text, bool fromServer)
    {
        pending.Append(text);
        string all = pending.ToString();
        int end;
        while ((end = all.IndexOf('\n')) >= 0)
        {
            _lines.Add(new Line(fromServer, all.Substring(0, end).TrimEnd('\r'), _clock.Elapsed));
            all = all.Substring(end + 1);
        }

        pending.Clear().Append(all);
    }

    internal sealed class Line
    {
        public Line(bool fromServer, string text, TimeSpan at)
        {
            FromServer = fromServer;
            Text = text;
            At = at;
        }

        public bool FromServer { get; }

        public string Text { get; }

        public TimeSpan At { get; }
    }
}
