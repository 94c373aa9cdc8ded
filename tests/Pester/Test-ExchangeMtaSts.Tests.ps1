# Test-ExchangeMtaSts against the DNS lab (tests/lab/zones/mtasts.test.zone) and the policy hosts
# the Exchange emulator serves (role mtaSts in tests/lab/exchange-lab.json), whose lab CA this process trusts.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
}

Describe 'Test-ExchangeMtaSts' {
    Context 'a policy senders can apply' {
        It 'passes an enforce policy that matches every MX host, by name and by *. pattern, with TLS-RPT' {
            $result = Test-ExchangeMtaSts -Domain enforce-ok.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Check | Should -Be 'MtaSts'
            $result.Cause | Should -Be 'None'
            $result.Record | Should -Be 'v=STSv1; id=20260101T000000'
            $result.PolicyId | Should -Be '20260101T000000'
            $result.Mode | Should -Be 'Enforce'
            $result.MaxAge | Should -Be 604800
            $result.MxPatterns | Should -Be @('mx1.mtasts.test', '*.backup.mtasts.test')
            $result.MxHosts | Should -Be @('mx1.mtasts.test', 'relay.backup.mtasts.test')
            $result.UnmatchedMx.Count | Should -Be 0
            $result.TlsRptDestinations | Should -Be @('mailto:tls-reports@enforce-ok.mtasts.test', 'https://tlsrpt.enforce-ok.mtasts.test/v1')
            $result.Message | Should -Match 'enforce mode'
            ($result.Steps | Where-Object Name -eq 'TLS mta-sts.enforce-ok.mtasts.test').Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -eq 'MX relay.backup.mtasts.test').Detail | Should -Be 'matches mx: *.backup.mtasts.test'
        }

        It 'passes a domain that publishes no MTA-STS at all, saying it is optional, and ignores a stray TXT record' {
            $result = Test-ExchangeMtaSts -Domain nothing.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Record | Should -BeNullOrEmpty
            $result.Mode | Should -Be 'Unknown'
            $result.Message | Should -Match 'publishes no MTA-STS policy'
            $result.Message | Should -Match 'optional'
            ($result.Steps | Where-Object Name -eq 'MTA-STS').Detail | Should -Match 'not published'
        }
    }

    Context 'findings' {
        It 'fails enforce mode with an MX host no pattern matches: mail does not arrive' {
            $result = Test-ExchangeMtaSts -Domain enforce-mismatch.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.UnmatchedMx | Should -Be @('mx.elsewhere.mtasts.test')
            $result.Message | Should -Match 'mx\.elsewhere\.mtasts\.test'
            $result.Message | Should -Match 'does not arrive'
            $result.Remediation | Should -Match 'mx: mx\.elsewhere\.mtasts\.test'
        }

        It 'warns about the same mismatch in testing mode' {
            $result = Test-ExchangeMtaSts -Domain testing-mismatch.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Mode | Should -Be 'Testing'
            $result.UnmatchedMx | Should -Be @('mx.elsewhere.mtasts.test')
        }

        It 'fails a record whose policy <Case>, naming what failed' -ForEach @(
            @{ Case = 'answers 404'; Domain = 'policy-404.mtasts.test'; Pattern = 'HTTP 404' }
            @{ Case = 'sits behind a redirect'; Domain = 'redirect.mtasts.test'; Pattern = 'redirect \(HTTP 301 to https://mta-sts\.enforce-ok\.mtasts\.test/' }
            @{ Case = 'is served as text/html'; Domain = 'wrong-type.mtasts.test'; Pattern = 'text/html, not text/plain' }
            @{ Case = 'is served with a certificate for another name'; Domain = 'wrong-cert.mtasts.test'; Pattern = 'certificate of mta-sts\.wrong-cert\.mtasts\.test is not valid' }
            @{ Case = 'is no policy'; Domain = 'bad-policy.mtasts.test'; Pattern = 'not a valid policy' }
        ) {
            $result = Test-ExchangeMtaSts -Domain $Domain -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match 'senders cannot use'
            $result.Message | Should -Match $Pattern
            $result.Remediation | Should -Match 'text/plain'
        }

        It 'gives up on a policy host that never answers within -TimeoutSeconds, keeping what DNS said' {
            $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.121', 443)
            $listener.Start()
            try {
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $result = Test-ExchangeMtaSts -Domain slow.mtasts.test -DnsServer $dns -TimeoutSeconds 2
                $clock.Stop()
                # No answer in time from here is not proof that senders cannot fetch the policy: a Warning.
                $result.Status | Should -Be 'Warning'
                $result.Cause | Should -Be 'MtaStsInvalid'
                $result.Message | Should -Match 'could not be reached from here'
                $result.Message | Should -Match 'no answer within 2 s'
                $result.PolicyId | Should -Be '1'
                $result.MxHosts | Should -Be 'mx1.mtasts.test'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
            }
            finally {
                $listener.Stop()
            }
        }

        It 'never follows the redirect' {
            $result = Test-ExchangeMtaSts -Domain redirect.mtasts.test -DnsServer $dns
            @($result.Steps | Where-Object Name -like 'HTTP GET*').Count | Should -Be 1
            $result.Mode | Should -Be 'Unknown'
        }

        It 'records the certificate for another name as a Failed TLS step' {
            $result = Test-ExchangeMtaSts -Domain wrong-cert.mtasts.test -DnsServer $dns
            ($result.Steps | Where-Object Name -eq 'TLS mta-sts.wrong-cert.mtasts.test').Status | Should -Be 'Failed'
        }

        It 'fails two v=STSv1 records' {
            $result = Test-ExchangeMtaSts -Domain two-records.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match '2 _mta-sts TXT records'
        }

        It 'fails a record without id=' {
            $result = Test-ExchangeMtaSts -Domain bad-record.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'no id= field'
        }

        It 'never contacts the policy host of a domain without an _mta-sts record' {
            $result = Test-ExchangeMtaSts -Domain policy-only.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Message | Should -Match 'publishes no MTA-STS policy'
            @($result.Steps | Where-Object { $_.Name -like 'HTTP *' -or $_.Name -like 'DNS mta-sts.*' -or $_.Name -like 'TCP *' }).Count | Should -Be 0
            $result.Observed | Should -Match 'policy not fetched'
        }

        It 'warns, without blaming the domain, when the policy host refuses connections from here' {
            $result = Test-ExchangeMtaSts -Domain refused.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match 'could not be reached from here'
            $result.Remediation | Should -Match 'port 443'
        }

        It 'reports a policy host DNS cannot resolve (SERVFAIL) as Error DnsUnavailable' {
            $result = Test-ExchangeMtaSts -Domain name-unknown.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match 'mta-sts\.name-unknown\.mtasts\.test'
        }

        It 'fails a record whose policy host does not exist (NXDOMAIN)' {
            $result = Test-ExchangeMtaSts -Domain name-missing.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match 'does not resolve'
        }

        It 'warns about mode none' {
            $result = Test-ExchangeMtaSts -Domain mode-none.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Mode | Should -Be 'None'
            $result.Message | Should -Match 'withdrawn'
        }

        It 'warns about a max_age under a day' {
            $result = Test-ExchangeMtaSts -Domain short-age.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.MaxAge | Should -Be 3600
            $result.Message | Should -Match 'max_age of 3600 s'
        }

        It 'warns when an enforced policy has no TLS-RPT record' {
            $result = Test-ExchangeMtaSts -Domain no-tlsrpt.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.TlsRptRecord | Should -BeNullOrEmpty
            $result.Message | Should -Match 'no TLS-RPT record'
        }

        It 'warns about a TLS-RPT record with a bad rua' {
            $result = Test-ExchangeMtaSts -Domain bad-tlsrpt.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.TlsRptRecord | Should -Be 'v=TLSRPTv1; rua=tls-reports@bad-tlsrpt.mtasts.test'
            $result.Message | Should -Match 'TLS-RPT record of bad-tlsrpt\.mtasts\.test'
        }
    }

    Context 'DNS and input' {
        It 'keeps the MTA-STS verdict when DNS fails for _smtp._tls, and records TLS-RPT as unknown' {
            $result = Test-ExchangeMtaSts -Domain rpt-unknown.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match '2 _mta-sts TXT records'
            ($result.Steps | Where-Object Name -eq 'TLS-RPT record lookup').Status | Should -Be 'Warning'
            $result.Observed | Should -Match 'TLS-RPT unknown'

            $only = Test-ExchangeMtaSts -Domain rpt-unknown-only.mtasts.test -DnsServer $dns
            $only.Status | Should -Be 'Warning'
            $only.Cause | Should -Be 'DnsUnavailable'
            $only.Message | Should -Match 'TLS-RPT'
        }

        It 'reports SERVFAIL as Error DnsUnavailable, never a finding' {
            $result = Test-ExchangeMtaSts -Domain x.broken.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match 'SERVFAIL'
        }

        It 'fails a domain that does not exist' {
            $result = Test-ExchangeMtaSts -Domain nope.mtasts.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
        }

        It 'keeps the pipeline order, however long each check takes' {
            $domains = 'wrong-cert.mtasts.test', 'nothing.mtasts.test', 'enforce-ok.mtasts.test', 'someone@Policy-404.mtasts.test', 'x.broken.test'
            $results = $domains | Test-ExchangeMtaSts -DnsServer $dns -ThrottleLimit 5
            $results.Target | Should -Be @('wrong-cert.mtasts.test', 'nothing.mtasts.test', 'enforce-ok.mtasts.test', 'policy-404.mtasts.test', 'x.broken.test')
        }

        It 'answers $true or $false alone with -Quiet' {
            Test-ExchangeMtaSts -Domain enforce-ok.mtasts.test -DnsServer $dns -Quiet | Should -BeTrue
            Test-ExchangeMtaSts -Domain testing-mismatch.mtasts.test -DnsServer $dns -Quiet | Should -BeTrue
            Test-ExchangeMtaSts -Domain enforce-mismatch.mtasts.test -DnsServer $dns -Quiet | Should -BeFalse
        }

        It 'writes a non-terminating error for a value that is no domain, and goes on' {
            $results = Test-ExchangeMtaSts -Domain 'not a domain!', 'nothing.mtasts.test' -DnsServer $dns -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.Target | Should -Be 'nothing.mtasts.test'
            $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,ExchangeDiag.Commands.TestExchangeMtaStsCommand'
        }

        It 'exports to JSON and CSV with readable cells' {
            $result = Test-ExchangeMtaSts -Domain enforce-mismatch.mtasts.test -DnsServer $dns
            $data = $result | ConvertTo-Json -Depth 5 -EnumsAsStrings | ConvertFrom-Json
            $data.Mode | Should -Be 'Enforce'
            $data.UnmatchedMx | Should -Be @('mx.elsewhere.mtasts.test')
            $path = Join-Path $TestDrive 'mtasts.csv'
            $result | Export-Csv -Path $path -NoTypeInformation
            (Import-Csv -Path $path).MxHosts | Should -Be 'mx1.mtasts.test; mx.elsewhere.mtasts.test'
        }
    }

    Context 'in French' {
        It 'writes the Message and Remediation in French, with the same verdict' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-ExchangeMtaSts -Domain enforce-mismatch.mtasts.test -DnsServer $dns
            }
            finally {
                [cultureinfo]::CurrentUICulture = $before
            }

            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'MtaStsInvalid'
            $result.Message | Should -Match "aucun de ses motifs mx"
            $result.Message | Should -Match "n'arrive pas"
            $result.Remediation | Should -Match 'Ajoutez une ligne'
        }

        It 'says in French that the policy host could not be reached from here' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-ExchangeMtaSts -Domain refused.mtasts.test -DnsServer $dns
            }
            finally {
                [cultureinfo]::CurrentUICulture = $before
            }

            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'injoignable depuis cet ordinateur'
            $result.Remediation | Should -Match 'port 443'
        }
    }
}
