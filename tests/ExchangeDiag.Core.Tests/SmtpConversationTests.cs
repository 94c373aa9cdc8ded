using System;
using System.Linq;
using System.Text;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Tests;

public class SmtpConversationTests
{
    [Fact]
    public void Pipelined_commands_pair_with_their_replies_in_order()
    {
        var transcript = new MailTranscript();
        Server(transcript, "220 mail.lab.test ESMTP Postfix\r\n");
        Client(transcript, "EHLO exchangediag.invalid\r\n");
        Server(transcript, "250-mail.lab.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n");
        Client(transcript, "AUTH PLAIN ********\r\n");
        Server(transcript, "235 2.7.0 Authentication successful\r\n");
        Client(transcript, "MAIL FROM:<a@post.lab.test>\r\nRCPT TO:<a@post.lab.test>\r\nDATA\r\n");
        Server(transcript, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
        Client(transcript, "Subject: x\r\n\r\nbody\r\n.\r\n");
        Server(transcript, "250 2.0.0 Ok: queued as ABC\r\n");

        var exchanges = SmtpConversation.Pair(transcript.Lines);

        Assert.Equal(new[] { SmtpPhase.Banner, SmtpPhase.Ehlo, SmtpPhase.Auth, SmtpPhase.MailFrom, SmtpPhase.RcptTo, SmtpPhase.Data, SmtpPhase.Data }, exchanges.Select(e => e.Phase));
        Assert.Equal(3, exchanges[1].Reply.Count);
        Assert.Equal(250, exchanges[4].FinalReply!.StatusCode);
        Assert.Equal("2.0.0", exchanges[6].FinalReply!.EnhancedCode);
    }

    [Fact]
    public void A_sasl_continuation_belongs_to_AUTH()
    {
        var transcript = new MailTranscript();
        Server(transcript, "220 hi\r\n");
        Client(transcript, "AUTH LOGIN\r\n");
        Server(transcript, "334 VXNlcm5hbWU6\r\n");
        Client(transcript, "********\r\n");
        Server(transcript, "334 UGFzc3dvcmQ6\r\n");
        Client(transcript, "********\r\n");
        Server(transcript, "535 5.7.8 Error: authentication failed\r\n");

        var exchanges = SmtpConversation.Pair(transcript.Lines);

        Assert.All(exchanges.Skip(1), e => Assert.Equal(SmtpPhase.Auth, e.Phase));
        Assert.Equal(535, exchanges.Last().FinalReply!.StatusCode);
    }

    private static void Client(MailTranscript transcript, string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        transcript.LogClient(bytes, 0, bytes.Length);
    }

    private static void Server(MailTranscript transcript, string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        transcript.LogServer(bytes, 0, bytes.Length);
    }
}
