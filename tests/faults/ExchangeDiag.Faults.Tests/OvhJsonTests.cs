using System.Diagnostics;
using System.Text;
using System.Xml;
using ExchangeDiag.Ovh;
using Xunit;

namespace ExchangeDiag.Faults;

public class OvhJsonTests
{
    [Fact]
    public void DeepNestingIsRefusedQuickly()
    {
        const int depth = 50_000;
        string json = new StringBuilder().Append('[', depth).Append(']', depth).ToString();
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<XmlException>(() => OvhJson.Parse(json));
        // It took 9.5 s before the depth limit.
        Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void TheApisOwnDepthStillParses()
    {
        string json = new StringBuilder().Insert(0, "{\"a\":", 20).Append("true").Append('}', 20).ToString();

        Assert.NotNull(OvhJson.Parse(json));
    }
}
