using System;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace ExchangeDiag.Tests;

public class SecretRedactorTests
{
    private const string User = "healthy@post.lab.test";
    private const string Password = "Correct Horse/1+ü&<";

    private static SecretRedactor ForMailbox()
    {
        var secrets = new SecretRedactor();
        secrets.Add(new NetworkCredential(User, Password));
        return secrets;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string> EchoedForms() => new TheoryData<string, string>
    {
        { "plain", $"535 5.7.8 you sent {Password} as the password" },
        { "URL-encoded", $"<p>password={Uri.EscapeDataString(Password)}&amp;flags=4</p>" },
        { "form-encoded, lower-case hex", "password=" + Regex.Replace(WebUtility.UrlEncode(Password), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()) },
        { "HTML-encoded", $"<input value=\"{WebUtility.HtmlEncode(Password)}\">" },
        { "JSON-escaped", "{\"password\":\"Correct Horse/1+ü\\u0026\\u003c\"}" },
        { "AUTH PLAIN", $"535 5.7.8 AUTH PLAIN {Base64($"\0{User}\0{Password}")} failed" },
        { "AUTH PLAIN without padding", $"535 {Base64($"\0{User}\0{Password}").TrimEnd('=')}" },
        { "Basic header", $"Authorization: Basic {Base64($"{User}:{Password}")}" },
        { "AUTH LOGIN password line", $"535 5.7.8 {Base64(Password)}" },
        { "inside a longer base64 text, offset 0", Base64("abc" + Password + "tail") },
        { "inside a longer base64 text, offset 1", Base64("abcd" + Password + "tail") },
        { "inside a longer base64 text, offset 2", Base64("abcde" + Password + "tail") },
        { "URL half decoded, as Uri.ToString() shows it", "logon.aspx?reason=2&password=Correct Horse%2F1%2B%C3%BC%26%3C" },
    };

    [Theory]
    [MemberData(nameof(EchoedForms))]
    public void CutsEveryFormAServerMayEcho(string form, string echoed)
    {
        string safe = ForMailbox().Redact(echoed);

        Assert.Contains(SecretRedactor.Mask, safe);
        Assert.DoesNotContain(Password, safe);
        Assert.DoesNotContain(Uri.EscapeDataString(Password), safe);
        Assert.DoesNotContain(Base64(Password).Substring(0, 12), safe);
        _ = form;
    }

    [Fact]
    public void LeavesTextWithoutSecretsAlone()
    {
        const string reply = "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6";

        Assert.Same(reply, ForMailbox().Redact(reply));
        Assert.Same(reply, new SecretRedactor().Redact(reply));
    }

    [Fact]
    public void KeepsTheUserNameReadable()
    {
        Assert.Equal($"{User} refused {SecretRedactor.Mask}", ForMailbox().Redact($"{User} refused {Password}"));
    }

    [Fact]
    public void CutsApiKeysAddedLater()
    {
        var secrets = ForMailbox();
        var ovh = new SecretRedactor();
        ovh.Add("MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1", "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY");
        secrets.Add(ovh);

        string safe = secrets.Redact("This credential is not valid: 5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY");

        Assert.Equal($"This credential is not valid: {SecretRedactor.Mask}", safe);
    }

    [Fact]
    public void CutsTheSecretsOutOfAResultAndItsSteps()
    {
        var result = new MxCheckResult("post.lab.test");
        result.AddStep("AUTH", CheckStatus.Failed, $"S: 535 you sent {Password}");
        result.Conclude(CheckStatus.Failed, DiagnosticCause.AuthenticationFailed, $"refused {Password}", null);

        ForMailbox().Clean(result);

        Assert.DoesNotContain(Password, result.Message);
        Assert.DoesNotContain(Password, result.Steps[0].Detail);
        Assert.Equal("AUTH", result.Steps[0].Name);
    }
}
