# Test-ExchangeInboundSmtp against the mail lab's inbound Postfix (port 25 on 127.0.0.110), reached
# through the lab's MX records, as an outside sender would.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
}

Describe 'Test-ExchangeInboundSmtp' {
    It 'reaches the MX host, upgrades with STARTTLS and has the recipient accepted, stopping before DATA' {
        $result = Test-ExchangeInboundSmtp -Recipient healthy@post.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.MxHost | Should -Be 'mail.lab.test'
        $result.StartTlsOffered | Should -BeTrue
        $result.Certificate.NameMatches | Should -BeTrue
        $result.ServerReply.StatusCode | Should -Be 250
        $result.Delivered | Should -BeFalse
        $phases = @($result.Steps.Name)
        foreach ($phase in 'Banner', 'Ehlo', 'StartTls', 'MailFrom', 'RcptTo', 'Rset') { $phases | Should -Contain $phase }
        $phases | Should -Not -Contain 'Data'
    }

    It 'tries the MX hosts in preference order until one answers' {
        $result = Test-ExchangeInboundSmtp -Recipient healthy@post.lab.test -Domain post-backup.lab.test -DnsServer $dns -TimeoutSeconds 15
        $result.Status | Should -Be 'Passed'
        $result.MxHost | Should -Be 'mail.lab.test'
        ($result.Steps | Where-Object Name -eq 'TCP unreachable.lab.test:25').Status | Should -Be 'Error'
    }

    It 'with -Deliver sends a labelled test message that arrives' {
        $credential = New-LabCredential spammer@post.lab.test
        $before = (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount
        $result = Test-ExchangeInboundSmtp -Recipient spammer@post.lab.test -Deliver -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Delivered | Should -BeTrue
        $result.Token | Should -Match '^[0-9a-f]{32}$'
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        do { Start-Sleep -Milliseconds 300; $after = (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount }
        until ($after -gt $before -or [DateTime]::UtcNow -gt $deadline)
        $after | Should -Be ($before + 1) -Because 'an account blocked for spam still receives'
    }

    It 'with -Deliver -WhatIf delivers nothing and says what it would deliver' {
        $run = Invoke-WhatIfSend spammer@post.lab.test 'Test-ExchangeInboundSmtp -Recipient spammer@post.lab.test -Deliver -DnsServer $dns'
        $run.Output | Should -Contain 'What if: Performing the operation "Deliver a test message through the MX of post.lab.test, port 25" on target "spammer@post.lab.test".'
        $run.Output | Should -Contain 'results: 0'
        $run.After | Should -Be $run.Before
    }

    It 'without -Deliver sends nothing anyway, so -WhatIf still checks' {
        $result = Test-ExchangeInboundSmtp -Recipient healthy@post.lab.test -DnsServer $dns -WhatIf
        $result.Status | Should -Be 'Passed'
        $result.Delivered | Should -BeFalse
    }

    It 'reports a refused recipient (<Recipient>) as ReceiveFailed with the reply' -ForEach @(
        @{ Recipient = 'overquota@post.lab.test'; Code = 552; Words = 'quota' }
        @{ Recipient = 'expired@post.lab.test'; Code = 550; Words = 'subscription expired' }
        @{ Recipient = 'nobody@post.lab.test'; Code = 550; Words = 'User unknown' }
    ) {
        $result = Test-ExchangeInboundSmtp -Recipient $Recipient -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'ReceiveFailed'
        $result.ServerReply.StatusCode | Should -Be $Code
        $result.ServerReply.Text | Should -Match $Words
    }

    It 'reports a domain without MX as MxInvalid' {
        $result = Test-ExchangeInboundSmtp -Recipient someone@nomx.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'MxInvalid'
    }

    It 'reports a domain that does not exist as DomainNotFound' {
        $result = Test-ExchangeInboundSmtp -Recipient someone@nowhere.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'DomainNotFound'
    }

    It 'reports MX hosts that do not answer as Error Unreachable' {
        $result = Test-ExchangeInboundSmtp -Recipient someone@inbound-dead.lab.test -DnsServer $dns -TimeoutSeconds 10
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'Unreachable'
    }
}
