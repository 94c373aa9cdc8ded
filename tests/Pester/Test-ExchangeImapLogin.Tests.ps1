# Test-ExchangeImapLogin against real Dovecot from tests/lab/MailLab.psm1.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:imap = 'imap.lab.test'
}

Describe 'Test-ExchangeImapLogin' {
    It 'logs in over IMAPS, opens INBOX read-only and reports the greeting and capabilities' {
        $result = Test-ExchangeImapLogin -Server $imap -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Greeting | Should -Match '^\* OK'
        $result.IsExchange | Should -BeFalse -Because 'the lab runs Dovecot, not Exchange'
        $result.Capabilities | Should -Contain 'Idle'
        $result.InboxCount | Should -BeGreaterOrEqual 0
        ($result.Steps | Where-Object Name -eq 'EXAMINE').Status | Should -Be 'Passed' -Because 'INBOX is opened read-only'
    }

    It 'logs in on 143 with STARTTLS' {
        (Test-ExchangeImapLogin -Server $imap -Port 143 -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'reports a wrong password as AuthenticationFailed' {
        $result = Test-ExchangeImapLogin -Server $imap -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') -DnsServer $dns -TimeoutSeconds 20
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AuthenticationFailed'
        $result.ServerReply | Should -Not -BeNullOrEmpty
    }

    It 'reports a login refused for <User> as <Cause>, from the server''s text' -ForEach @(
        @{ User = 'expired@post.lab.test'; Cause = 'SubscriptionExpired' }
        @{ User = 'locked@post.lab.test'; Cause = 'AccountLocked' }
    ) {
        $result = Test-ExchangeImapLogin -Server $imap -Credential (New-LabCredential $User) -DnsServer $dns -TimeoutSeconds 20
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be $Cause
    }

    It 'refuses a certificate for another name unless -SkipCertificateCheck, which then warns' {
        $result = Test-ExchangeImapLogin -Server 127.0.0.111 -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'CertificateInvalid'
        $skipped = Test-ExchangeImapLogin -Server 127.0.0.111 -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipCertificateCheck
        $skipped.Status | Should -Be 'Warning'
        $skipped.Cause | Should -Be 'CertificateInvalid'
    }
}
