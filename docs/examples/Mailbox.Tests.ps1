<#
    Infrastructure tests: the mailboxes we run are healthy. Each failure names the root cause and
    what to do about it. Run with the mailboxes as data; each mailbox's credential comes from a
    SecretManagement vault (Microsoft.PowerShell.SecretManagement and a vault such as
    Microsoft.PowerShell.SecretStore, stored once with
    Set-Secret -Name user@contoso.com -Secret (Get-Credential user@contoso.com)):

    $container = New-PesterContainer -Path ./Mailbox.Tests.ps1 -Data @{
        Mailbox = @(@{ EmailAddress = 'user@contoso.com'; Secret = 'user@contoso.com' })
    }
    Invoke-Pester -Container $container -Output Detailed

    A mailbox may instead give Credential (a PSCredential), or CredentialPath (a file of
    Export-Clixml). Export-Clixml protects the password only on Windows, for the user and computer
    that wrote it; on Linux and macOS the file holds it in clear text: prefer a vault there.
#>
param(
    [Parameter(Mandatory)] [hashtable[]] $Mailbox,
    [string[]] $DnsServer,
    # The SecretManagement vault that holds the credentials; the default vault when omitted.
    [string] $Vault,
    [string] $ModulePath = 'ExchangeDiag'
)

BeforeAll {
    # Loading ExchangeDiag with Pester loaded adds Should -BeHealthyMailbox: a failure reads "Expected
    # user@contoso.com to be healthy, but its diagnosis is Failed: ..." with each cause and its
    # remediation, not "Expected $true, but got $false".
    Import-Module $ModulePath

    function Get-MailboxCredential([hashtable] $Mailbox) {
        if ($Mailbox.Credential) { return $Mailbox.Credential }
        if ($Mailbox.CredentialPath) { return Import-Clixml -Path $Mailbox.CredentialPath }
        $options = @{ Name = $(if ($Mailbox.Secret) { $Mailbox.Secret } else { $Mailbox.EmailAddress }); ErrorAction = 'Stop' }
        if ($Vault) { $options.Vault = $Vault }
        $secret = Get-Secret @options
        # A vault holds a PSCredential, or the password alone as a SecureString.
        if ($secret -is [securestring]) { $secret = [pscredential]::new($Mailbox.EmailAddress, $secret) }
        $secret
    }
}

Describe 'Mailbox <EmailAddress>' -ForEach $Mailbox {
    BeforeAll {
        $options = @{ EmailAddress = $EmailAddress; Credential = Get-MailboxCredential $_ }
        if ($DnsServer) { $options.DnsServer = $DnsServer }
        $report = Invoke-ExchangeDiagnostic @options
        $result = @{}
        $report.Results | ForEach-Object { $result[$_.Check] = $_ }
    }

    It 'is healthy' {
        # -AllowWarning: a mailbox that works, whose domain lacks DMARC say, is no outage. Leave it
        # out to fail on warnings too (a certificate that expires within 30 days).
        $report | Should -BeHealthyMailbox -AllowWarning
    }

    It 'has the MX records mail needs to arrive' {
        $result.Mx.Passed | Should -BeTrue -Because $result.Mx.Message
    }

    It 'can log in to webmail' {
        $result.OwaLogin.Status | Should -Be 'Passed' -Because $result.OwaLogin.Message
    }

    It 'can send a message that arrives' {
        # A round trip that did not run proves nothing: the test is Skipped with the reason, not Passed.
        if ("$($result.MailFlow.Status)" -eq 'Skipped') {
            Set-ItResult -Skipped -Because "the mail-flow check did not run: $($result.MailFlow.Message)"
        }
        $result.MailFlow.Status | Should -Be 'Passed' -Because $result.MailFlow.Message
    }
}
