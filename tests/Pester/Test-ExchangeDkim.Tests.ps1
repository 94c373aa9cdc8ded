# Test-ExchangeDkim against NSD on loopback, serving tests/lab/zones/dkim.test.zone.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
}

Describe 'Test-ExchangeDkim' {
    Context 'keys found at the common selectors' {
        It 'passes a 2048-bit RSA key and says which selectors were tried' {
            $result = Test-ExchangeDkim -Domain rsa2048.dkim.test -DnsServer $dns
            $result.Check | Should -Be 'Dkim'
            $result.Status | Should -Be 'Passed'
            $result.Cause | Should -Be 'None'
            $result.Keys.Count | Should -Be 1
            $result.Keys[0].Selector | Should -Be 'selector1'
            $result.Keys[0].KeyType | Should -Be 'rsa'
            $result.Keys[0].KeyBits | Should -Be 2048
            $result.SelectorsTried | Should -Contain 'selector1'
            $result.SelectorsTried | Should -Contain 'google'
            $result.Message | Should -Match 'selector1 \(rsa 2048\)'
            $result.Message | Should -Match 'selectors tried: selector1, selector2, default'
        }

        It 'passes an ed25519 key (RFC 8463)' {
            $result = Test-ExchangeDkim -Domain ed25519.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Keys[0].Selector | Should -Be 's1'
            $result.Keys[0].KeyType | Should -Be 'ed25519'
        }

        It 'warns of a 1024-bit key, keeping the DkimInvalid cause' {
            $result = Test-ExchangeDkim -Domain rsa1024.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match '1024 bits'
            $result.Remediation | Should -Match '2048-bit key'
        }

        It 'fails a 512-bit key' {
            $result = Test-ExchangeDkim -Domain rsa512.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'only 512 bits'
            $result.Keys[0].Selector | Should -Be 'default'
        }

        It 'fails a domain whose only key is revoked (p=)' {
            $result = Test-ExchangeDkim -Domain revoked.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'revoked'
            $result.Keys[0].Revoked | Should -BeTrue
        }

        It 'only warns of a revoked old selector beside a working key (a key rotation)' {
            $result = Test-ExchangeDkim -Domain rotated.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'selector2\._domainkey\.rotated\.dkim\.test is revoked'
            $result.Keys.Selector | Should -Be @('selector1', 'selector2')
        }

        It 'warns of a key in testing mode (t=y)' {
            $result = Test-ExchangeDkim -Domain testing.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 't=y'
            $result.Keys[0].Testing | Should -BeTrue
        }

        It 'fails records that are not key records, saying why' {
            $result = Test-ExchangeDkim -Domain garbage.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'p= is not base64'
            (($result.Steps | Where-Object Name -eq 'Finding').Detail -join "`n") | Should -Match 'hello world. is not tag=value'
        }

        It 'follows a selector that is an alias (CNAME) of the provider''s key and shows the alias' {
            $result = Test-ExchangeDkim -Domain alias.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Keys[0].AliasOf | Should -Be 'selector1-alias-dkim-test._domainkey.provider.dkim.test'
            $result.Keys[0].ToString() | Should -Match 'alias of selector1-alias-dkim-test'
        }

        It 'fails a selector that is an alias of a name without a key (DKIM not turned on at the provider)' {
            $result = Test-ExchangeDkim -Domain dangling.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimMissing'
            $result.Message | Should -Match 'selector1\._domainkey\.dangling\.dkim\.test is an alias \(CNAME\) of gone\._domainkey\.provider\.dkim\.test, which holds no DKIM key'
            $result.Remediation | Should -Match 'Turn DKIM signing on for dangling\.dkim\.test'
        }

        It 'warns of two key records at one selector' {
            $result = Test-ExchangeDkim -Domain twokeys.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'holds 2 TXT records'
        }

        It 'only warns of broken leftover keys at guessed selectors beside a working key, which verifiers never fetch' {
            $result = Test-ExchangeDkim -Domain leftover.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'selector2\._domainkey\.leftover\.dkim\.test cannot be used: p= is not base64'
            $result.Message | Should -Match 'Another selector holds a working key'
            $result.Remediation | Should -Match 'otherwise remove the record'
            $findings = ($result.Steps | Where-Object Name -eq 'Finding')
            $findings.Status | Should -Be @('Warning', 'Warning')
            ($findings.Detail -join "`n") | Should -Match 'k=dsa is not a key type verifiers know'
            ($result.Keys | Where-Object Problem -eq $null).Selector | Should -Be 'selector1'
        }

        It 'fails the same broken key when its selector is named with -Selector' {
            $result = Test-ExchangeDkim -Domain leftover.dkim.test -Selector selector1, selector2 -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'selector2\._domainkey\.leftover\.dkim\.test cannot be used: p= is not base64\.$'
        }

        It 'still fails a key under 1024 bits beside a working key: signatures made with it can be forged' {
            $result = Test-ExchangeDkim -Domain weakleft.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimInvalid'
            $result.Message | Should -Match 'default\._domainkey\.weakleft\.dkim\.test is only 512 bits'
        }
    }

    Context 'no key found' {
        It 'fails a domain with no _domainkey at all (NXDOMAIN, RFC 8020)' {
            $result = Test-ExchangeDkim -Domain nodkim.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimMissing'
            $result.Message | Should -Match 'publishes no DKIM key at all: _domainkey\.nodkim\.dkim\.test does not exist'
            $result.Message | Should -Match 'selector1, selector2'
        }

        It 'only warns when _domainkey exists but no common selector holds a key, and says to give -Selector' {
            $result = Test-ExchangeDkim -Domain custom.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'DkimMissing'
            $result.Message | Should -Match 'may be under another selector'
            $result.Remediation | Should -Match '-Selector'
            $result.Remediation | Should -Match 's= value of the DKIM-Signature header'
        }

        It 'passes the same domain given its selector' {
            $result = Test-ExchangeDkim -Domain custom.dkim.test -Selector MyKey2026 -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.SelectorsTried | Should -Be 'mykey2026'
            $result.Keys[0].Selector | Should -Be 'mykey2026'
        }

        It 'fails a selector given with -Selector that has no key' {
            $result = Test-ExchangeDkim -Domain rsa2048.dkim.test -Selector selector1, nothere -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DkimMissing'
            $result.Message | Should -Match 'no DKIM key at nothere\._domainkey\.rsa2048\.dkim\.test'
        }

        It 'names OVHcloud''s platform selectors in the remediation with -Provider' {
            $result = Test-ExchangeDkim -Domain custom.dkim.test -Provider OvhEurope -DnsServer $dns
            $result.Remediation | Should -Match 'ovhex<N>-selector1'
        }

        It 'fails a domain that does not exist' {
            $result = Test-ExchangeDkim -Domain nope.dkim.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
        }
    }

    Context 'DNS failures and input' {
        It 'reports SERVFAIL as Error DnsUnavailable' {
            $result = Test-ExchangeDkim -Domain x.broken.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match 'SERVFAIL'
        }

        It 'rejects a -Selector that is not a DNS label before asking anything' {
            { Test-ExchangeDkim -Domain rsa2048.dkim.test -Selector 'bad selector!' -DnsServer $dns -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidSelector,ExchangeDiag.Commands.TestExchangeDkimCommand'
        }

        It 'returns the results in input order and $true/$false with -Quiet' {
            $domains = 'rsa512.dkim.test', 'rsa2048.dkim.test', 'nodkim.dkim.test', 'rsa1024.dkim.test'
            ($domains | Test-ExchangeDkim -DnsServer $dns -ThrottleLimit 4).Target | Should -Be $domains
            $domains | Test-ExchangeDkim -DnsServer $dns -Quiet | Should -Be @($false, $true, $false, $true)
        }

        It 'exports clean CSV and JSON' {
            $result = Test-ExchangeDkim -Domain alias.dkim.test -DnsServer $dns
            $path = Join-Path $TestDrive 'dkim.csv'
            $result | Export-Csv -Path $path -NoTypeInformation
            (Import-Csv $path).Keys | Should -Match '^selector1: rsa 2048 bits \(alias of '
            $json = $result | ConvertTo-Json -Depth 5 -EnumsAsStrings
            $json | Should -Not -Match 'ExchangeDiag\.|System\.'
            ($json | ConvertFrom-Json).Keys[0].KeyBits | Should -Be 2048
        }
    }

    Context 'in French' {
        It 'writes the Message and Remediation in French under a French UI culture' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-ExchangeDkim -Domain nodkim.dkim.test -DnsServer $dns
            }
            finally {
                [cultureinfo]::CurrentUICulture = $before
            }
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -BeLike 'nodkim.dkim.test ne publie aucune clé DKIM : _domainkey.nodkim.dkim.test n''existe pas*'
            $result.Remediation | Should -Match 'Activez la signature DKIM'
        }
    }
}
