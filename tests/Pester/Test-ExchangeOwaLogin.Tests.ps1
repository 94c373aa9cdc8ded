# Test-ExchangeOwaLogin against the Exchange emulator (tests/lab/ExchangeLab.psm1), whose names
# resolve through the DNS lab.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
}

Describe 'Test-ExchangeOwaLogin' {
    BeforeEach {
        Reset-Lab
    }

    It 'logs in with the right password and reports the Exchange build and front end' {
        $result = Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Outcome | Should -Be 'Success'
        $result.ExchangeVersion | Should -Be '15.1.2507.6'
        $result.FrontEndServer | Should -Be 'EXLAB01'
        $result.Url | Should -Be 'https://ex1.lab.test/owa/'
        ($result.Steps | Where-Object Name -eq 'TLS ex1.lab.test').Status | Should -Be 'Passed'
    }

    It 'takes a full -Url' {
        (Test-ExchangeOwaLogin -Url https://ex1.lab.test/owa/ -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns).Outcome | Should -Be 'Success'
    }

    It 'logs in at the OWA URL that Test-ExchangeAutodiscover piped to it' {
        $credential = New-LabCredential healthy@lab.test
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-root.lab.test -Credential $credential -DnsServer $dns |
            Test-ExchangeOwaLogin -Credential $credential -DnsServer $dns
        $result.Outcome | Should -Be 'Success'
        $result.Url | Should -Be 'https://ex1.lab.test/owa/'
    }

    It 'never connects to the Server a piped discovery names (an internal name that does not resolve outside)' {
        $discovery = Get-LabDiscovery @{ Server = 'exlab01.corp.invalid' }
        $result = $discovery | Test-ExchangeOwaLogin -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $result.Outcome | Should -Be 'Success'
        $result.Url | Should -Be 'https://ex1.lab.test/owa/'
    }

    It 'logs in at the OWA URL of a discovery deserialized by <How>, never at its Server or Autodiscover Url' -ForEach @(
        @{ How = 'Export-Clixml and Import-Clixml'; Trip = { param($d, $file) $d | Export-Clixml $file; Import-Clixml $file } }
        @{ How = 'ConvertTo-Json and ConvertFrom-Json'; Trip = { param($d) $d | ConvertTo-Json -Depth 5 | ConvertFrom-Json } }
        @{ How = 'ConvertTo-Json -EnumsAsStrings and ConvertFrom-Json'; Trip = { param($d) $d | ConvertTo-Json -Depth 5 -EnumsAsStrings | ConvertFrom-Json } }
    ) {
        $discovery = & $Trip (Get-LabDiscovery @{ Server = 'exlab01.corp.invalid' }) (Join-Path $TestDrive 'discovery.xml')
        $discovery | Should -Not -BeOfType ([ExchangeDiag.AutodiscoverResult])
        $result = $discovery | Test-ExchangeOwaLogin -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $result.Outcome | Should -Be 'Success'
        $result.Url | Should -Be 'https://ex1.lab.test/owa/'
    }

    It 'logs in at the OWA URL of each of several deserialized discoveries given to -InputObject' {
        $file = Join-Path $TestDrive 'discoveries.xml'
        @((Get-LabDiscovery @{ Server = 'exlab01.corp.invalid' }), (Get-LabDiscovery @{ Server = 'exlab02.corp.invalid' })) | Export-Clixml $file
        $discoveries = Import-Clixml $file
        $results = Test-ExchangeOwaLogin -InputObject $discoveries -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        @($results).Count | Should -Be 2
        $results.Url | Should -Be 'https://ex1.lab.test/owa/', 'https://ex1.lab.test/owa/'
    }

    It 'logs in at the OWA URL of a discovery received from Start-Job' {
        $job = Start-Job -ScriptBlock {
            param($module, $dns, $password)
            Import-Module $module
            Test-ExchangeAutodiscover -EmailAddress user@ad-root.lab.test -DnsServer $dns -Credential ([pscredential]::new('healthy@lab.test', (ConvertTo-SecureString $password -AsPlainText -Force)))
        } -ArgumentList $env:EXCHANGEDIAG_MODULE, $dns, 'Correct-Horse-1'
        $discovery = $job | Receive-Job -Wait -AutoRemoveJob
        $discovery.PSObject.TypeNames[0] | Should -Be 'Deserialized.ExchangeDiag.AutodiscoverResult'
        $result = $discovery | Test-ExchangeOwaLogin -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Outcome | Should -Be 'Success'
        $result.Url | Should -Be 'https://ex1.lab.test/owa/'
    }

    It 'refuses a piped discovery that found no OWA URL, naming the mailbox, and goes on with the next' {
        $discoveries = @((Get-LabDiscovery @{ OwaUrl = $null }), (Get-LabDiscovery))
        $results = $discoveries | Test-ExchangeOwaLogin -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -ErrorVariable failed -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'NoDiscoveredUrl,ExchangeDiag.Commands.TestExchangeOwaLoginCommand'
        $failed[0].Exception.Message | Should -Match 'Autodiscover gave no OWA address for user@ad-root\.lab\.test'
    }

    It 'falls back to /owa/auth/owaauth.dll when auth.owa answers 404 (Exchange 2007)' {
        $result = Test-ExchangeOwaLogin -Server legacy.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Outcome | Should -Be 'Success'
        ($result.Steps | Where-Object Name -like 'HTTP POST*').Name | Should -Be @('HTTP POST https://legacy.lab.test/owa/auth.owa', 'HTTP POST https://legacy.lab.test/owa/auth/owaauth.dll')
    }

    It 'reports a wrong password as WebmailAuthFailed, corroborated by one EWS request' {
        $result = Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential healthy@lab.test 'Wrong-Horse-9') -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Outcome | Should -Be 'InvalidCredentials'
        $result.Cause | Should -Be 'WebmailAuthFailed'
        $result.Message | Should -Match 'reason=2'
        ($result.Steps | Where-Object Name -eq 'EWS corroboration').Detail | Should -Match 'only second attempt'
        (Get-LabAccount healthy@lab.test).logins | Should -Be 2
    }

    It 'tells a locked account from a wrong password through EWS' {
        $result = Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential locked@lab.test) -DnsServer $dns
        $result.Outcome | Should -Be 'AccountLocked'
        $result.Cause | Should -Be 'AccountLocked'
        $result.Remediation | Should -Match 'lockout'
    }

    It 'reads an expired password as a refused login where OWA has its defaults (ChangeExpiredPasswordEnabled off), saying it may be expired' {
        # ex1.lab.test turns ChangeExpiredPasswordEnabled on for the case below; ex2 keeps Exchange's default.
        $result = Test-ExchangeOwaLogin -Server ex2.lab.test -Credential (New-LabCredential expired@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Outcome | Should -Be 'InvalidCredentials'
        $result.Cause | Should -Be 'WebmailAuthFailed'
        $result.Message | Should -Match 'reason=2'
        $result.Message | Should -Match 'expired on a server that does not say so'
        ($result.Steps | Where-Object Name -eq 'EWS verdict').Detail | Should -Match 'expired'
    }

    It 'reports a locked account answered 456 by EWS, as Exchange Online does, as locked or MFA required' {
        $result = Test-ExchangeOwaLogin -Server online.lab.test -Credential (New-LabCredential locked@lab.test) -DnsServer $dns
        $result.Outcome | Should -Be 'AccountLocked'
        $result.Cause | Should -Be 'AccountLocked'
        ($result.Steps | Where-Object Name -eq 'EWS verdict').Detail | Should -Match '456.*multi-factor'
    }

    It 'reports <User> as <Outcome> with cause <Cause> where ChangeExpiredPasswordEnabled is on' -ForEach @(
        @{ User = 'expired@lab.test'; Outcome = 'PasswordExpired'; Cause = 'PasswordExpired' }
        @{ User = 'blocked@lab.test'; Outcome = 'BlockedByAccessRule'; Cause = 'AccessRuleBlocked' }
        @{ User = 'eacblocked@lab.test'; Outcome = 'BlockedByAccessRule'; Cause = 'AccessRuleBlocked' }
    ) {
        $result = Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential $User) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Outcome | Should -Be $Outcome
        $result.Cause | Should -Be $Cause
        (Get-LabAccount $User).logins | Should -Be 1 -Because 'a refused login that is not "invalid credentials" is not corroborated'
    }

    It 'calls a web server that is not Exchange NotExchange, not a login failure' {
        $result = Test-ExchangeOwaLogin -Server www.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Outcome | Should -Be 'NotExchange'
        $result.Cause | Should -Be 'NotExchange'
    }

    It 'reports a server that does not answer as Unreachable (Error)' {
        $result = Test-ExchangeOwaLogin -Server unreachable.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -TimeoutSeconds 5
        $result.Status | Should -Be 'Error'
        $result.Outcome | Should -Be 'Unreachable'
        $result.Cause | Should -Be 'Unreachable'
    }

    It 'gives up on a server that accepts the connection and never answers, within -TimeoutSeconds' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.121', 443)
        $listener.Start()
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $result = Test-ExchangeOwaLogin -Server silent.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -TimeoutSeconds 3
            $clock.Stop()
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'Unreachable'
            $result.Message | Should -Match 'did not answer within 3 s'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally {
            $listener.Stop()
        }
    }

    It 'checks servers one after another and, once the password is refused, skips the rest' {
        $wrong = New-LabCredential lockme@lab.test 'Wrong-Horse-9'
        $results = Test-ExchangeOwaLogin -Server ex1.lab.test, legacy.lab.test, ex1.lab.test -Credential $wrong -DnsServer $dns
        $results[0].Cause | Should -Be 'WebmailAuthFailed'
        $results[1..2].Status | Should -Be @('Skipped', 'Skipped')
        $results[1].Message | Should -Match 'not retried, to stay clear of the lockout policy'
        (Get-LabAccount lockme@lab.test).failedLogins | Should -Be 2
        (Get-LabAccount lockme@lab.test).locked | Should -BeFalse
    }

    It 'refuses an invalid certificate, and sends no credentials to it' {
        $result = Test-ExchangeOwaLogin -Server expired.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'CertificateInvalid'
        (Get-LabAccount healthy@lab.test).logins | Should -Be 0
    }

    It 'with -SkipCertificateCheck goes on, but says so in a Warning step and a Warning result' {
        $result = Test-ExchangeOwaLogin -Server expired.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -SkipCertificateCheck
        $result.Outcome | Should -Be 'Success'
        $result.Status | Should -Be 'Warning'
        $result.Cause | Should -Be 'CertificateInvalid'
        ($result.Steps | Where-Object Name -eq 'TLS expired.lab.test').Status | Should -Be 'Warning'
    }

    It 'refuses a plain http:// -Url: credentials only go over HTTPS' {
        $null = Test-ExchangeOwaLogin -Url http://ex1.lab.test/owa/ -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUrl,*'
        $problems[0].Exception.Message | Should -Match 'only ever sent over HTTPS'
        (Get-LabAccount healthy@lab.test).logins | Should -Be 0
    }

    It 'never locks an account: a wrong password costs two failed logins, and the lockout policy (3) really locks on the third' {
        $wrong = New-LabCredential lockme@lab.test 'Wrong-Horse-9'
        (Test-ExchangeOwaLogin -Server ex1.lab.test -Credential $wrong -DnsServer $dns).Cause | Should -Be 'WebmailAuthFailed'
        $account = Get-LabAccount lockme@lab.test
        $account.failedLogins | Should -Be 2
        $account.locked | Should -BeFalse

        # A third failure by other means: the policy is real, not a stub.
        (Test-ExchangeEwsLogin -Server ex1.lab.test -Credential $wrong -DnsServer $dns).Cause | Should -Be 'WebmailAuthFailed'
        (Get-LabAccount lockme@lab.test).locked | Should -BeTrue
        (Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential lockme@lab.test) -DnsServer $dns).Cause | Should -Be 'AccountLocked'
    }

    It 'never writes the password to any output stream, the result or its JSON (OWA, EWS and Autodiscover)' {
        $secret = 'S3cret-Never-Shown-42'
        $credential = New-LabCredential healthy@lab.test $secret
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("healthy@lab.test:$secret"))
        $everything = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            Test-ExchangeOwaLogin -Server ex1.lab.test -Credential $credential -DnsServer $dns -Verbose -Debug
            Test-ExchangeEwsLogin -Server ex1.lab.test -Credential $credential -DnsServer $dns -Verbose -Debug
            Test-ExchangeAutodiscover -EmailAddress user@ad-http.lab.test -Credential $credential -DnsServer $dns -Verbose -Debug
            # The refusal paths too: wrong password (OWA, EWS corroboration, Autodiscover 401) and a bad certificate.
            Test-ExchangeOwaLogin -Server ex1.lab.test -Credential (New-LabCredential lockme@lab.test $secret) -DnsServer $dns -Verbose
            Test-ExchangeAutodiscover -EmailAddress user@ad-401.lab.test -Credential (New-LabCredential lockme@lab.test $secret) -DnsServer $dns -Verbose
            Test-ExchangeOwaLogin -Server expired.lab.test -Credential $credential -DnsServer $dns -Verbose
            Test-ExchangeOwaLogin -Url http://ex1.lab.test/owa/ -Credential $credential -DnsServer $dns -ErrorAction Continue
        } *>&1
        $text = ($everything | ForEach-Object { $_; if ($_ -is [ExchangeDiag.CheckResult]) { $_ | ConvertTo-Json -Depth 5; $_ | Format-List * | Out-String } }) | Out-String
        $text | Should -Match 'healthy@lab.test' -Because 'the capture must contain the checks'' output'
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Not -Match ([regex]::Escape($basic))
    }

    Context 'a server that echoes the login in its refusals' {
        BeforeAll {
            $script:echoSecret = 'Echoed Secret/42+&'
            $script:echoCredential = New-LabCredential healthy@lab.test $echoSecret
            # Every form the server may send it back in, and the forms on the wire.
            $script:echoForms = @(
                $echoSecret
                [uri]::EscapeDataString($echoSecret)
                [Net.WebUtility]::HtmlEncode($echoSecret)
                [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("healthy@lab.test:$echoSecret"))
            )
        }

        It 'keeps the password out of the results, verbose lines, JSON and reports of <Command>' -ForEach @(
            @{ Command = 'Test-ExchangeOwaLogin' }
            @{ Command = 'Test-ExchangeEwsLogin' }
            @{ Command = 'Invoke-ExchangeDiagnostic' }
        ) {
            Reset-Lab
            $everything = if ($Command -eq 'Invoke-ExchangeDiagnostic') {
                Invoke-ExchangeDiagnostic healthy@lab.test -Credential $echoCredential -ExchangeServer echo.lab.test -DnsServer $dns -SkipMailFlow -TimeoutSeconds 5 -Verbose *>&1
            } else {
                & $Command -Server echo.lab.test -Credential $echoCredential -DnsServer $dns -Verbose *>&1
            }
            $results = @($everything | Where-Object { $_ -is [ExchangeDiag.CheckResult] -or $_ -is [ExchangeDiag.DiagnosticReport] })
            $results | Should -Not -BeNullOrEmpty
            $text = ($everything | Out-String) + ($results | ConvertTo-Json -Depth 8) + ($results | Format-List * | Out-String)
            if ($Command -eq 'Invoke-ExchangeDiagnostic') {
                foreach ($format in 'Html', 'Markdown', 'Json') {
                    $path = Join-Path $TestDrive "echo.$format"
                    $results | Export-ExchangeDiagnosticReport -Path $path -Format $format
                    $text += Get-Content $path -Raw
                }
            }
            $text | Should -Match '\*{8}' -Because 'the server did echo the password, and it was cut out'
            foreach ($form in $echoForms) {
                $text | Should -Not -Match ([regex]::Escape($form))
            }
        }
    }
}
