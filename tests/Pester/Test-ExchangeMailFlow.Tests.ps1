# Test-ExchangeMailFlow against real Postfix and Dovecot (tests/lab/MailLab.psm1): a message from
# the mailbox to itself, sent through submission and awaited in INBOX with IDLE.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:servers = @{ SmtpServer = 'mail.lab.test'; ImapServer = 'imap.lab.test'; DnsServer = $dns }
}

Describe 'Test-ExchangeMailFlow' {
    It 'sends a message to the mailbox itself, sees it arrive, reports the latency and deletes it' {
        $credential = New-LabCredential healthy@post.lab.test
        $before = (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount
        $result = Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential $credential @servers -TimeoutSeconds 60
        $result.Status | Should -Be 'Passed'
        $result.Delivered | Should -BeTrue
        $result.MessageLatency | Should -BeOfType [timespan]
        $result.MessageLatency.TotalSeconds | Should -BeLessThan 4 -Because 'IDLE wakes when the message arrives (each IDLE is capped at 5 s)'
        $result.Token | Should -Match '^[0-9a-f]{32}$'
        ($result.Steps | Where-Object Name -eq 'Receive').Detail | Should -Match 'IDLE'
        ($result.Steps | Where-Object Name -eq 'Clean up').Status | Should -Be 'Passed'
        (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount | Should -Be $before -Because 'a diagnosis leaves no trace in the mailbox'
    }

    It 'reports a message that could not be sent as SendFailed, with the submission''s own cause' {
        $result = Test-ExchangeMailFlow -EmailAddress spammer@post.lab.test -Credential (New-LabCredential spammer@post.lab.test) @servers -TimeoutSeconds 30
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'SendFailed'
        $result.SendResult.Cause | Should -Be 'AccountBlockedForSpam'
        $result.Delivered | Should -BeFalse
    }

    It 'reports a message that does not arrive in time as ReceiveFailed' {
        # The lab defers the first delivery to slow@ for about a minute.
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = Test-ExchangeMailFlow -EmailAddress slow@post.lab.test -Credential (New-LabCredential slow@post.lab.test) @servers -TimeoutSeconds 8
        $clock.Stop()
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'ReceiveFailed'
        $result.SendResult.Status | Should -Be 'Passed'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 14
    }

    It 'finds the servers through Autodiscover when they are not given' {
        $result = Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -TimeoutSeconds 60
        $result.Status | Should -Be 'Passed'
        $result.SmtpServer | Should -Be 'mail.lab.test:587'
        $result.ImapServer | Should -Be 'mail.lab.test:993'
        ($result.Steps | Where-Object Name -eq 'Servers').Detail | Should -Match 'Autodiscover names \(by SrvRecord\)'
    }

    It 'waits for a message sent from outside with -InboundToken, and deletes it' {
        $inbound = Test-ExchangeInboundSmtp -Recipient healthy@post.lab.test -Deliver -DnsServer $dns
        $inbound.Delivered | Should -BeTrue
        $result = Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) @servers -InboundToken $inbound.Token -TimeoutSeconds 30
        $result.Status | Should -Be 'Passed'
        $result.Token | Should -Be $inbound.Token
        ($result.Steps | Where-Object Name -eq 'Send').Status | Should -Be 'Skipped'
        ($result.Steps | Where-Object Name -eq 'Clean up').Status | Should -Be 'Passed'
    }

    It 'sends nothing with -WhatIf, and says what it would send' {
        $run = Invoke-WhatIfSend healthy@post.lab.test 'Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -SmtpServer mail.lab.test -ImapServer imap.lab.test -DnsServer $dns'
        $run.Output | Should -Contain 'What if: Performing the operation "Send a test message to itself through mail.lab.test:587" on target "healthy@post.lab.test".'
        $run.Output | Should -Contain 'results: 0'
        $run.After | Should -Be $run.Before
    }

    It 'sends nothing when IMAP refuses the login' {
        $result = Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') @servers -TimeoutSeconds 30
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AuthenticationFailed'
        $result.SendResult | Should -BeNullOrEmpty
    }
}
