using System.IO;

namespace ExchangeDiag.Checks;

/// <summary>
/// A server's answer passed one of our caps (an HTTP body, a line or a reply of a mail protocol):
/// reading on would cost unbounded memory, or leave a conversation out of step with the server.
/// </summary>
internal sealed class AnswerTooLongException : IOException
{
    public AnswerTooLongException(Phrase said)
        : base(said.Trace)
    {
        Said = said;
    }

    /// <summary>The message in any language: English in the exception and the trace, the reader's in a result's message.</summary>
    public Phrase Said { get; }
}
