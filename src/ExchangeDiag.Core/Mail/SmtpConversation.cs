using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.Mail;

/// <summary>
/// Pairs an SMTP transcript's commands with their replies, pipelining included, so that each
/// phase (banner, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA) becomes one step.
/// </summary>
internal static class SmtpConversation
{
    public static IReadOnlyList<Exchange> Pair(IReadOnlyList<MailTranscript.Line> lines)
    {
        var exchanges = new List<Exchange>();
        // A null phase is a command whose reply is not a step of its own (RSET, QUIT, NOOP).
        var pending = new Queue<(SmtpPhase? Phase, string Command, TimeSpan At)>();
        var reply = new List<string>();
        bool banner = true;
        bool authContinues = false;
        TimeSpan lastAt = TimeSpan.Zero;
        foreach (MailTranscript.Line line in lines)
        {
            if (!line.FromServer)
            {
                string verb = line.Text.Split(' ', ':')[0].ToUpperInvariant();
                SmtpPhase? phase = PhaseOf(verb);
                if (phase != null || verb == "RSET" || verb == "QUIT" || verb == "NOOP")
                {
                    pending.Enqueue((phase, line.Text, line.At));
                }
                else if (authContinues)
                {
                    // A SASL continuation (already redacted) answers a 334 challenge.
                    pending.Enqueue((SmtpPhase.Auth, line.Text, line.At));
                }

                continue;
            }

            reply.Add(line.Text);
            bool last = line.Text.Length < 4 || line.Text[3] != '-';
            if (!last)
            {
                continue;
            }

            SmtpPhase answered;
            string command;
            TimeSpan since = lastAt;
            if (banner)
            {
                (answered, command, banner) = (SmtpPhase.Banner, string.Empty, false);
            }
            else if (pending.Count > 0)
            {
                var sent = pending.Dequeue();
                if (sent.Phase == null)
                {
                    lastAt = line.At;
                    reply.Clear();
                    continue;
                }

                (answered, command, since) = (sent.Phase.Value, sent.Command, sent.At);
            }
            else
            {
                // The reply to the message itself, after DATA's 354 and the final dot.
                (answered, command) = (SmtpPhase.Data, "<message>.");
            }

            authContinues = answered == SmtpPhase.Auth && reply[reply.Count - 1].StartsWith("334", StringComparison.Ordinal);
            exchanges.Add(new Exchange(answered, command, reply.ToList(), line.At - since));
            lastAt = line.At;
            reply.Clear();
        }

        return exchanges;
    }

    private static SmtpPhase? PhaseOf(string verb) => verb switch
    {
        "EHLO" or "HELO" => SmtpPhase.Ehlo,
        "STARTTLS" => SmtpPhase.StartTls,
        "AUTH" => SmtpPhase.Auth,
        "MAIL" => SmtpPhase.MailFrom,
        "RCPT" => SmtpPhase.RcptTo,
        "DATA" or "BDAT" => SmtpPhase.Data,
        _ => null,
    };

    internal sealed class Exchange
    {
        public Exchange(SmtpPhase phase, string command, IReadOnlyList<string> reply, TimeSpan duration)
        {
            Phase = phase;
            Command = command;
            Reply = reply;
            Duration = duration;
        }

        public SmtpPhase Phase { get; }

        public string Command { get; }

        public IReadOnlyList<string> Reply { get; }

        public TimeSpan Duration { get; }

        /// <summary>The reply as one SmtpReply: status of the last line, text of all lines.</summary>
        public SmtpReply? FinalReply => SmtpReply.TryParse(Reply[Reply.Count - 1]);
    }
}
