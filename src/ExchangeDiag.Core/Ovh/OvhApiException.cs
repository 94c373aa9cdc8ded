using System;

namespace ExchangeDiag.Ovh;

/// <summary>Why a call to the OVHcloud API gave no usable answer.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum OvhFailure
{
    /// <summary>403, or a 400 "Invalid signature" (with or without errorCode INVALID_SIGNATURE): the keys, the clock or the consumer key's access rules.</summary>
    CredentialsRefused,
    NotFound,

    /// <summary>429 after every retry.</summary>
    RateLimited,

    /// <summary>5xx after every retry.</summary>
    ServerError,

    /// <summary>Another 4xx: the API refused the request itself.</summary>
    Refused,

    /// <summary>No HTTP answer: name, connection or TLS failure.</summary>
    Unreachable,
    TimedOut,

    /// <summary>An answer that is not the JSON the API documents.</summary>
    BadAnswer,
}

/// <summary>
/// A call to the OVHcloud API that failed. The message names the call ("GET /email/exchange/...")
/// and what to do; it never holds a secret, a signature or a request body.
/// </summary>
public sealed class OvhApiException : Exception
{
    internal OvhApiException(string call, OvhFailure failure, int statusCode, string? errorCode, string? queryId, Phrase said, Exception? inner = null)
        : this(call, failure, statusCode, errorCode, queryId, inner, Describe(call, queryId, said))
    {
    }

    /// <param name="message">What went wrong, as a phrase: the exception's message is its English, a result's message the reader's language.</param>
    private OvhApiException(string call, OvhFailure failure, int statusCode, string? errorCode, string? queryId, Exception? inner, Phrase message)
        : base(message.Trace, inner)
    {
        Said = message;
        Call = call;
        Failure = failure;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        QueryId = queryId;
    }

    /// <summary>The method and path of the call, such as "GET /email/exchange".</summary>
    public string Call { get; }

    public OvhFailure Failure { get; }

    /// <summary>The HTTP status, 0 when there was no answer.</summary>
    public int StatusCode { get; }

    /// <summary>The API's errorCode, such as INVALID_CREDENTIAL.</summary>
    public string? ErrorCode { get; }

    /// <summary>The X-Ovh-QueryId of the answer, which the provider's support asks for.</summary>
    public string? QueryId { get; }

    /// <summary>The message in any language, for a result's Message in the reader's.</summary>
    internal Phrase Said { get; }

    private static Phrase Describe(string call, string? queryId, Phrase said) => queryId == null
        ? new Phrase(Texts.Ovh, "Api_Failure", call, said)
        : new Phrase(Texts.Ovh, "Api_FailureWithQueryId", call, said, queryId);

    /// <summary>This exception with the secrets cut out of its message; the inner exception is dropped then, as it may hold them too.</summary>
    internal OvhApiException Redacted(SecretRedactor secrets)
    {
        string message = secrets.Clean(Message);
        Phrase said = Said;
        return ReferenceEquals(message, Message) ? this : new OvhApiException(Call, Failure, StatusCode, errorCode: secrets.RedactOrNull(ErrorCode), QueryId, null, new Phrase(culture => secrets.Clean(said.In(culture))));
    }
}
