using Xunit;

namespace ExchangeDiag.Tests;

public class ServerTextTests
{
    [Fact]
    public void ACutNeverSplitsASurrogatePair()
        => Assert.Equal(new string('x', 39) + "…", ServerText.Printable(new string('x', 39) + "😀 and more", 40));

    [Fact]
    public void ATextWithNothingToChangeIsTheSameString()
    {
        string text = "250 2.0.0 OK\r\n\tqueued as 1234";
        Assert.Same(text, ServerText.Printable(text));
    }

    [Theory]
    [InlineData("a\0b", "a\\x00b")]
    [InlineData("\u001b[31mred", "\\x1B[31mred")]
    [InlineData("bell\u0007", "bell\\x07")]
    [InlineData("del\u007f c1\u0085", "del\\x7F c1\\x85")]
    [InlineData("\u202Eexe.txt", "\\u202Eexe.txt")]
    [InlineData("isolate\u2066x\u2069", "isolate\\u2066x\\u2069")]
    [InlineData("café Ünïcødé 日本", "café Ünïcødé 日本")]
    [InlineData("250 ok\rFAKE 250 accepted", "250 ok\\x0DFAKE 250 accepted")]
    [InlineData("line\u2028break\u200Fmark", "line\\u2028break\\u200Fmark")]
    public void ControlCharactersAreWrittenAsEscapes(string text, string printable)
        => Assert.Equal(printable, ServerText.Printable(text));

    [Fact]
    public void ALongTextIsCutWithAnEllipsis()
    {
        string printable = ServerText.Printable(new string('x', 70000));

        Assert.Equal(ServerText.MaxLength + 1, printable.Length);
        Assert.EndsWith("…", printable);
    }

    [Fact]
    public void EscapesCountTowardsTheCap()
    {
        string printable = ServerText.Printable(new string('\0', 5000), 40);

        Assert.Equal(41, printable.Length);
        Assert.StartsWith("\\x00\\x00", printable);
    }

    [Fact]
    public void ASentenceQuotesAtMostTheFirstLineCapOfAReply()
    {
        string quoted = ExchangeDiag.Checks.LineProtocol.FirstLine("554 " + new string('x', 70000) + "\r\nsecond line");

        Assert.Equal(ExchangeDiag.Checks.LineProtocol.MaxQuotedLength + 1, quoted.Length);
        Assert.StartsWith("554 xxx", quoted);
    }
}
