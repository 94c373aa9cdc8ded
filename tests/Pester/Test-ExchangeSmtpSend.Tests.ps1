# Test-ExchangeSmtpSend against real Postfix (submission with STARTTLS, SASL through Dovecot) from
# tests/lab/MailLab.psm1, whose accounts reproduce the provider's states.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:smtp = 'mail.lab.test'
}

Describe 'Test-ExchangeSmtpSend' {
    It 'submits a labelled test message and reports every SMTP phase' {
        $result = Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.MessageId | Should -Not -BeNullOrEmpty
        $result.Token | Should -Match '^[0-9a-f]{32}$'
        $result.From | Should -Be 'healthy@post.lab.test'
        $result.To | Should -Be 'healthy@post.lab.test'
        $result.ServerBanner | Should -Match 'ESMTP'
        $result.AuthMechanisms | Should -Contain 'PLAIN'
        $result.ServerReply.StatusCode | Should -Be 250
        $phases = @($result.Steps.Name)
        foreach ($phase in 'Banner', 'Ehlo', 'StartTls', 'Auth', 'MailFrom', 'RcptTo', 'Data') { $phases | Should -Contain $phase }
        ($result.Steps | Where-Object Name -eq 'TLS mail.lab.test').Status | Should -Be 'Passed'
    }

    It 'sends nothing with -WhatIf, and says what it would send' {
        $run = Invoke-WhatIfSend healthy@post.lab.test "Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test) -DnsServer `$dns"
        $run.Output | Should -Contain 'What if: Performing the operation "Send a test message from healthy@post.lab.test to healthy@post.lab.test" on target "mail.lab.test:587".'
        $run.Output | Should -Contain 'results: 0'
        $run.After | Should -Be $run.Before
    }

    It 'sends without asking by default (ConfirmImpact Low), even with $ConfirmPreference Medium' {
        $ConfirmPreference = 'Medium'
        (Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'submits over SMTPS (465) with -Security SslOnConnect' {
        (Test-ExchangeSmtpSend -Server $smtp -Port 465 -Security SslOnConnect -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'reports a wrong password as AuthenticationFailed with the 535 reply' {
        $result = Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AuthenticationFailed'
        $result.ServerReply.StatusCode | Should -Be 535
        ($result.Steps | Where-Object Name -eq 'Auth' | Select-Object -Last 1).Status | Should -Be 'Failed'
    }

    It 'reports an account blocked for spam, keeping the raw reply' {
        $result = Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential spammer@post.lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AccountBlockedForSpam'
        $result.ServerReply.StatusCode | Should -Be 550
        $result.ServerReply.Text | Should -Match 'spam'
    }

    It 'reports a submission quota as SendQuotaExceeded' {
        $result = Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential overquota@post.lab.test) -DnsServer $dns
        $result.Cause | Should -Be 'SendQuotaExceeded'
        $result.ServerReply.EnhancedCode | Should -Be '5.2.2'
    }

    It 'reports a login refused for <User> as <Cause>' -ForEach @(
        @{ User = 'expired@post.lab.test'; Cause = 'SubscriptionExpired' }
        @{ User = 'locked@post.lab.test'; Cause = 'AccountLocked' }
    ) {
        $result = Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential $User) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be $Cause
    }

    It 'never sends credentials to a server that does not offer STARTTLS' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.120', 2525)
        $listener.Start()
        $server = [powershell]::Create().AddScript({
            param($listener)
            $client = $listener.AcceptTcpClient()
            $stream = $client.GetStream()
            $writer = [IO.StreamWriter]::new($stream); $writer.NewLine = "`r`n"; $writer.AutoFlush = $true
            $reader = [IO.StreamReader]::new($stream)
            $writer.WriteLine('220 plain.lab.test ESMTP no TLS here')
            $seen = [System.Collections.Generic.List[string]]::new()
            while ($null -ne ($line = $reader.ReadLine())) {
                $seen.Add($line)
                if ($line -like 'EHLO*') { $writer.WriteLine('250-plain.lab.test'); $writer.WriteLine('250 AUTH PLAIN LOGIN') }
                elseif ($line -eq 'QUIT') { $writer.WriteLine('221 Bye'); break }
                else { $writer.WriteLine('502 5.5.2 Not here') }
            }
            $client.Dispose()
            , $seen
        }).AddArgument($listener)
        $running = $server.BeginInvoke()
        try {
            # -Security Auto: MailKit goes on without TLS, and the check itself must hold the credentials back.
            $result = Test-ExchangeSmtpSend -Server 127.0.0.120 -Port 2525 -Security Auto -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -TimeoutSeconds 10
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'credentials were not sent'
            $seen = @($server.EndInvoke($running) | ForEach-Object { $_ })
            ($seen | Where-Object { $_ -like 'AUTH*' }) | Should -BeNullOrEmpty
            $seen | Should -Contain 'QUIT' -Because 'the session went as far as it could without credentials'
        }
        finally {
            $listener.Stop()
            $server.Dispose()
        }
    }

    It 'does not try the credential on the next server once one refused it' {
        $results = Test-ExchangeSmtpSend -Server $smtp, $smtp -Credential (New-LabCredential expired@post.lab.test) -DnsServer $dns
        $results[0].Cause | Should -Be 'SubscriptionExpired'
        $results[0].CredentialRefused | Should -BeTrue
        $results[1].Status | Should -Be 'Skipped'
    }

    It 'refuses a -From MimeKit cannot use before connecting' {
        { Test-ExchangeSmtpSend -Server $smtp -From 'a b@post.lab.test' -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFrom,ExchangeDiag.Commands.TestExchangeSmtpSendCommand'
    }

    It 'redacts AUTH LOGIN, the mechanism Exchange offers, and warns about -AllowUnencryptedAuth' {
        # A plain-text server offering only AUTH LOGIN, as Exchange does (AUTH NTLM LOGIN): the
        # user name and password each travel as a base64 line that the transcript must cut out.
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.120', 2527)
        $listener.Start()
        $server = [powershell]::Create().AddScript({
            param($listener)
            $client = $listener.AcceptTcpClient()
            $stream = $client.GetStream()
            $writer = [IO.StreamWriter]::new($stream); $writer.NewLine = "`r`n"; $writer.AutoFlush = $true
            $reader = [IO.StreamReader]::new($stream)
            $writer.WriteLine('220 exlike.lab.test Microsoft ESMTP MAIL Service ready')
            $inData = $false
            while ($null -ne ($line = $reader.ReadLine())) {
                if ($inData) { if ($line -eq '.') { $inData = $false; $writer.WriteLine('250 2.6.0 Queued mail for delivery') }; continue }
                switch -Wildcard ($line) {
                    'EHLO*' { $writer.WriteLine('250-exlike.lab.test'); $writer.WriteLine('250 AUTH NTLM LOGIN') }
                    'AUTH LOGIN' { $writer.WriteLine('334 VXNlcm5hbWU6'); $null = $reader.ReadLine(); $writer.WriteLine('334 UGFzc3dvcmQ6'); $null = $reader.ReadLine(); $writer.WriteLine('235 2.7.0 Authentication successful') }
                    'MAIL FROM*' { $writer.WriteLine('250 2.1.0 Sender OK') }
                    'RCPT TO*' { $writer.WriteLine('250 2.1.5 Recipient OK') }
                    'DATA' { $writer.WriteLine('354 Start mail input; end with <CRLF>.<CRLF>'); $inData = $true }
                    'QUIT' { $writer.WriteLine('221 2.0.0 Service closing transmission channel'); break }
                    default { $writer.WriteLine('500 5.3.3 Unrecognized command') }
                }
                if ($line -eq 'QUIT') { break }
            }
            $client.Dispose()
        }).AddArgument($listener)
        $running = $server.BeginInvoke()
        try {
            $secret = 'Login-Path-Secret-7'
            $result = Test-ExchangeSmtpSend -Server 127.0.0.120 -Port 2527 -Security Auto -AllowUnencryptedAuth -Credential (New-LabCredential healthy@post.lab.test $secret) -DnsServer $dns -TimeoutSeconds 10
            $null = $server.EndInvoke($running)
            $result.Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -eq 'Unencrypted AUTH').Status | Should -Be 'Warning'
            $auth = @($result.Steps | Where-Object Name -eq 'Auth')
            $auth.Count | Should -Be 3 -Because 'AUTH LOGIN, then the user name, then the password'
            $auth[1..2].Detail | ForEach-Object { $_ | Should -Match '^C: \*+ ' }
            $text = ($result | ConvertTo-Json -Depth 5) + ($result.Steps | Out-String -Width 500)
            $text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($secret))))
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
        finally {
            $listener.Stop()
            $server.Dispose()
        }
    }

    It 'reads <Reply> from an Exchange Online-like server as <Cause> and still tries the next server' -ForEach @(
        @{ Port = 2528; Reply = '535 5.7.139 Authentication unsuccessful, user is locked by your organization''s security defaults policy. Contact your administrator.'; At = 'AUTH'; Cause = 'SmtpAuthDisabled' }
        @{ Port = 2529; Reply = '451 5.7.3 STARTTLS is required to send mail'; At = 'MAIL FROM'; Cause = 'TlsRequired' }
    ) {
        # 5.7.139 says "locked" and 5.7.3 is also a refused login's code: neither proves the password
        # wrong, so the second server must be tried, not skipped as after a refused credential.
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.120', $Port)
        $listener.Start()
        $server = [powershell]::Create().AddScript({
            param($listener, $reply, $at)
            foreach ($session in 1..2) {
                $client = $listener.AcceptTcpClient()
                $stream = $client.GetStream()
                $writer = [IO.StreamWriter]::new($stream); $writer.NewLine = "`r`n"; $writer.AutoFlush = $true
                $reader = [IO.StreamReader]::new($stream)
                $writer.WriteLine('220 exlike.lab.test Microsoft ESMTP MAIL Service ready')
                while ($null -ne ($line = $reader.ReadLine())) {
                    switch -Wildcard ($line) {
                        'EHLO*' { $writer.WriteLine('250-exlike.lab.test'); $writer.WriteLine('250 AUTH LOGIN') }
                        'AUTH LOGIN' {
                            $writer.WriteLine('334 VXNlcm5hbWU6'); $null = $reader.ReadLine(); $writer.WriteLine('334 UGFzc3dvcmQ6'); $null = $reader.ReadLine()
                            $writer.WriteLine($(if ($at -eq 'AUTH') { $reply } else { '235 2.7.0 Authentication successful' }))
                        }
                        'MAIL FROM*' { $writer.WriteLine($reply) }
                        'QUIT' { $writer.WriteLine('221 2.0.0 Service closing transmission channel') }
                        default { $writer.WriteLine('500 5.3.3 Unrecognized command') }
                    }
                    if ($line -eq 'QUIT') { break }
                }
                $client.Dispose()
            }
        }).AddArgument($listener).AddArgument($Reply).AddArgument($At)
        $running = $server.BeginInvoke()
        try {
            $results = @(Test-ExchangeSmtpSend -Server 127.0.0.120, 127.0.0.120 -Port $Port -Security Auto -AllowUnencryptedAuth -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -TimeoutSeconds 10 -WarningAction SilentlyContinue)
            $null = $server.EndInvoke($running)
            $results.Count | Should -Be 2
            foreach ($result in $results) {
                $result.Status | Should -Be 'Failed'
                $result.Cause | Should -Be $Cause
                $result.CredentialRefused | Should -BeFalse
                $result.ServerReply.ToString() | Should -Be $Reply
            }
        }
        finally {
            $listener.Stop()
            $server.Dispose()
        }
    }

    It 'reports a port where nothing listens as Error Unreachable' {
        $result = Test-ExchangeSmtpSend -Server $smtp -Port 2526 -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -TimeoutSeconds 5
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'Unreachable'
    }

    It 'returns $true or $false with -Quiet' {
        $answers = $smtp | Test-ExchangeSmtpSend -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -Quiet
        $answers | Should -Be $true
        Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential spammer@post.lab.test) -DnsServer $dns -Quiet | Should -Be $false
    }

    It 'never writes the password to any stream, the result, its JSON or the SMTP and IMAP transcripts' {
        $secret = 'Correct-Horse-1'
        $plain = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0healthy@post.lab.test`0$secret"))
        $login = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($secret))
        $everything = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -Verbose -Debug
            Test-ExchangeImapLogin -Server imap.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -Verbose -Debug
            Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -SmtpServer $smtp -ImapServer imap.lab.test -DnsServer $dns -Verbose -Debug
            Test-ExchangeSmtpSend -Server $smtp -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') -DnsServer $dns -Verbose
        } *>&1
        $text = ($everything | ForEach-Object { $_; if ($_ -is [ExchangeDiag.CheckResult]) { $_ | ConvertTo-Json -Depth 5; $_ | Format-List * | Out-String; $_.Steps | Out-String -Width 500 } }) | Out-String
        $text | Should -Match 'AUTH PLAIN \*+' -Because 'the transcript must be in the capture, with the secret cut out'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match ([regex]::Escape($plain))
        $text | Should -Not -Match ([regex]::Escape($login))
    }
}
