using System;
using System.Collections.Generic;
using Xunit;

namespace ExchangeDiag.Tests;

public class ResultTests
{
    [Theory]
    [InlineData(CheckStatus.Passed, true)]
    [InlineData(CheckStatus.Warning, true)]
    [InlineData(CheckStatus.Failed, false)]
    [InlineData(CheckStatus.Error, false)]
    [InlineData(CheckStatus.Skipped, false)]
    public void Passed_is_true_for_Passed_and_Warning_only(CheckStatus status, bool passed)
    {
        var result = new MxCheckResult("contoso.com") { Status = status };

        Assert.Equal(passed, result.Passed);
    }

    [Fact]
    public void ToString_gives_check_target_status_cause_and_message_on_one_line()
    {
        var result = new SrvCheckResult("contoso.com", "_autodiscover._tcp.contoso.com");
        result.Conclude(CheckStatus.Failed, DiagnosticCause.SrvInvalid, "There is no SRV record.", "Add one.");

        string text = result.ToString();

        Assert.Equal("Srv contoso.com: Failed (SrvInvalid) - There is no SRV record.", text);
        Assert.DoesNotContain("\n", text);
    }

    [Fact]
    public void ToString_leaves_out_cause_None()
    {
        var result = new MxCheckResult("contoso.com");
        result.Conclude(CheckStatus.Passed, DiagnosticCause.None, "contoso.com has 2 MX records.", null);

        Assert.Equal("Mx contoso.com: Passed - contoso.com has 2 MX records.", result.ToString());
    }

    [Fact]
    public void Conclude_drops_the_remediation_of_a_passed_result_only()
    {
        var passed = new MxCheckResult("contoso.com");
        passed.Conclude(CheckStatus.Passed, DiagnosticCause.None, "fine", "nothing to do");
        var warning = new MxCheckResult("contoso.com");
        warning.Conclude(CheckStatus.Warning, DiagnosticCause.None, "odd", "tidy up");

        Assert.Null(passed.Remediation);
        Assert.Equal("tidy up", warning.Remediation);
    }

    [Fact]
    public void Results_expose_their_target_as_domain()
    {
        var mx = new MxCheckResult("contoso.com");
        var srv = new SrvCheckResult("contoso.com", "_autodiscover._tcp.contoso.com");

        Assert.Equal("Mx", mx.Check);
        Assert.Equal("contoso.com", mx.Domain);
        Assert.Equal("Srv", srv.Check);
        Assert.Equal("contoso.com", srv.Domain);
        Assert.Equal("_autodiscover._tcp.contoso.com", srv.RecordName);
    }

    [Fact]
    public void New_result_starts_empty()
    {
        var result = new MxCheckResult("contoso.com");

        Assert.Equal(string.Empty, result.Message);
        Assert.Null(result.Remediation);
        Assert.Empty(result.Steps);
        Assert.Empty(result.Records);
        Assert.Equal(string.Empty, result.Records.ToString());
    }

    [Fact]
    public void SummaryList_ToString_joins_items_with_semicolons()
    {
        var list = new SummaryList<MxRecordInfo>(new[] { new MxRecordInfo(10, "mx1.contoso.com"), new MxRecordInfo(20, "mx2.contoso.com") });

        Assert.Equal("10 mx1.contoso.com; 20 mx2.contoso.com", list.ToString());
    }

    [Fact]
    public void SummaryList_ToString_of_one_item_has_no_separator()
    {
        var list = new SummaryList<string>(new[] { "only" });

        Assert.Equal("only", list.ToString());
    }

    [Fact]
    public void SummaryList_Add_appends_in_order()
    {
        var list = new SummaryList<int>();
        list.Add(3);
        list.Add(1);

        Assert.Equal(new List<int> { 3, 1 }, list);
        Assert.Equal("3; 1", list.ToString());
    }

    [Fact]
    public void CheckStep_ToString_gives_name_status_and_detail()
    {
        var step = new CheckStep("MX lookup", CheckStatus.Passed, "2 records", TimeSpan.FromMilliseconds(12));

        Assert.Equal("MX lookup: Passed - 2 records", step.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(12), step.Duration);
    }

    [Fact]
    public void Steps_ToString_lists_every_step()
    {
        var result = new MxCheckResult("contoso.com");
        result.AddStep("MX lookup", CheckStatus.Passed, "1 record");
        result.AddStep("Resolve mx1.contoso.com", CheckStatus.Failed, "does not exist (NXDOMAIN)");

        Assert.Equal("MX lookup: Passed - 1 record; Resolve mx1.contoso.com: Failed - does not exist (NXDOMAIN)", result.Steps.ToString());
    }

    [Fact]
    public void Record_infos_format_as_zone_file_values()
    {
        Assert.Equal("10 mx1.contoso.com", new MxRecordInfo(10, "mx1.contoso.com").ToString());
        Assert.Equal("0 0 443 ex4.mail.ovh.net", new SrvRecordInfo(0, 0, 443, "ex4.mail.ovh.net").ToString());
    }
}
