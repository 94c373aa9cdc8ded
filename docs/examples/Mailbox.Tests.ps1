<#
    Infrastructure tests: the mailboxes we run are healthy. Each failure names the root cause and
    what to do about it. Run with the mailboxes as data:

    $container = New-PesterContainer -Path ./Mailbox.Tests.ps1 -Data @{
        Mailbox = @(@{ EmailAddress = 'user@contoso.com'; CredentialPath = './creds/user@contoso.com.xml' })
    }
    Invoke-Pester -Container $container -Output Detailed
#>
param(
    [Parameter(Mandatory)] [hashtable[]] $Mailbox,
    [string[]] $DnsServer,
    [string] $ModulePath = 'ExchangeDiag'
)

BeforeAll {
    Import-Module $ModulePath

    # Should -BeHealthyMailbox: a failure reads "Expected user@contoso.com to be healthy, but
    # AccountBlockedForSpam: ... Remediation: ...", not "Expected $true, but got $false".
    function Should-BeHealthyMailbox($ActualValue, [switch] $Negate, [string] $Because) {
        $healthy = $ActualValue.Passed
        if ($Negate) { $healthy = -not $healthy }
        $problems = ($ActualValue.Causes | ForEach-Object { "$($_.Cause): $($_.Message) Remediation: $($_.Remediation)" }) -join ' | '
        [pscustomobject]@{
            Succeeded      = [bool] $healthy
            FailureMessage = if ($Negate) { "Expected $($ActualValue.EmailAddress) not to be healthy, but: $($ActualValue.Verdict)" }
                             else { "Expected $($ActualValue.EmailAddress) to be healthy$(if ($Because) { " because $Because" }), but $problems" }
        }
    }
    if (-not (Get-ShouldOperator | Where-Object Name -eq BeHealthyMailbox)) {
        Add-ShouldOperator -Name BeHealthyMailbox -Test ${function:Should-BeHealthyMailbox}
    }
}

Describe 'Mailbox <EmailAddress>' -ForEach $Mailbox {
    BeforeAll {
        $options = @{ EmailAddress = $EmailAddress; Credential = Import-Clixml -Path $CredentialPath }
        if ($DnsServer) { $options.DnsServer = $DnsServer }
        $report = Invoke-ExchangeDiagnostic @options
        $result = @{}
        $report.Results | ForEach-Object { $result[$_.Check] = $_ }
    }

    It 'is healthy' {
        $report | Should -BeHealthyMailbox
    }

    It 'has the MX records mail needs to arrive' {
        $result.Mx.Passed | Should -BeTrue -Because $result.Mx.Message
    }

    It 'can log in to webmail' {
        $result.OwaLogin.Status | Should -Be 'Passed' -Because $result.OwaLogin.Message
    }

    It 'can send a message that arrives' {
        $result.MailFlow.Status | Should -BeIn 'Passed', 'Skipped' -Because $result.MailFlow.Message
    }
}
