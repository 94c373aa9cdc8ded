# Test-ExchangeSpf against NSD on loopback, serving tests/lab/zones/spf.test.zone (and ovh.com, ovh.ca).

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS

    function Test-Spf([string] $Name, [hashtable] $Extra = @{}) {
        Test-ExchangeSpf -Domain "$Name.spf.test" -DnsServer $script:dns @Extra
    }
}

Describe 'Test-ExchangeSpf' {
    Context 'records that pass' {
        It 'passes the OVHcloud record with -Provider OvhEurope, ignoring TXT records that are not SPF' {
            $result = Test-Spf ok @{ Provider = 'OvhEurope' }
            $result.Status | Should -Be 'Passed'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'None'
            $result.Remediation | Should -BeNullOrEmpty
            $result.Check | Should -Be 'Spf'
            $result.Record | Should -Be 'v=spf1 include:mx.ovh.com ~all'
            $result.Mechanisms.ToString() | Should -Be 'include:mx.ovh.com; ~all'
            $result.Mechanisms[1].Qualifier | Should -Be '~'
            $result.LookupCount | Should -Be 1
            $result.Includes | Should -Be @('mx.ovh.com')
            $result.Message | Should -Match 'valid: it ends with ~all and needs 1 of the 10'
        }

        It 'passes a Canadian domain with -Provider OvhCanada and fails it with OvhEurope' {
            (Test-Spf ca-ok @{ Provider = 'OvhCanada' }).Status | Should -Be 'Passed'
            $europe = Test-Spf ca-ok @{ Provider = 'OvhEurope' }
            $europe.Status | Should -Be 'Failed'
            $europe.Message | Should -Match 'does not include mx\.ovh\.com'
        }

        It 'finds the provider include nested in another include, and through a redirect' {
            $nested = Test-Spf nested @{ Provider = 'OvhEurope' }
            $nested.Status | Should -Be 'Passed'
            $nested.Includes | Should -Be @('_spf.spf.test', 'mx.ovh.com')
            $nested.LookupCount | Should -Be 2
            (Test-Spf redirect @{ Provider = 'OvhEurope' }).Status | Should -Be 'Passed'
        }

        It 'follows a CNAME at the domain to its SPF record, as a receiver''s resolver does' {
            $result = Test-Spf alias @{ Provider = 'OvhEurope' }
            $result.Status | Should -Be 'Passed'
            $result.Record | Should -Be 'v=spf1 include:mx.ovh.com ~all'
        }

        It 'reads a 341-byte record published as two strings as one record, joined without a space' {
            $result = Test-Spf long
            $result.Status | Should -Be 'Passed'
            $result.Record.Length | Should -Be 341
            $result.Mechanisms.Count | Should -Be 23
            $result.Mechanisms.ToString() | Should -Match 'ip4:192\.0\.2\.25; ip4:192\.0\.2\.26'
        }

        It 'counts a macro include without following it, and without a warning' {
            $result = Test-Spf macro
            $result.Status | Should -Be 'Passed'
            $result.LookupCount | Should -Be 2
            $result.Includes | Should -BeNullOrEmpty
            ($result.Steps | Where-Object Detail -match 'not followed \(macro\)') | Should -HaveCount 2
        }

        It 'passes exactly ten lookups and two void lookups' {
            $ten = Test-Spf ten
            $ten.Status | Should -Be 'Passed'
            $ten.LookupCount | Should -Be 10
            $two = Test-Spf void2
            $two.Status | Should -Be 'Passed'
            $two.VoidLookupCount | Should -Be 2
        }

        It 'asks a, mx of the domain itself when they name no domain' {
            $result = Test-Spf no-provider
            $result.Status | Should -Be 'Passed'
            $result.LookupCount | Should -Be 2
            $result.VoidLookupCount | Should -Be 0
        }
    }

    Context 'records that fail or warn' {
        It 'fails a domain without SPF record with SpfMissing, advising the provider record' {
            $result = Test-Spf none @{ Provider = 'OvhEurope' }
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'SpfMissing'
            $result.Message | Should -Match 'none\.spf\.test has no SPF record'
            $result.Remediation | Should -Match 'v=spf1 include:mx\.ovh\.com ~all'
        }

        It 'fails a domain that does not exist with DomainNotFound' {
            $result = Test-Spf nope
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
        }

        It 'fails two SPF records as a PermError' {
            $result = Test-Spf two
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'SpfInvalid'
            $result.Message | Should -Match 'publishes 2 SPF records'
            $result.Message | Should -Match 'PermError'
        }

        It 'fails <Name> (anyone may send as the domain)' -ForEach @(
            @{ Name = 'plusall'; Term = '\+all' }
            @{ Name = 'bareall'; Term = 'ends with all,' }
        ) {
            $result = Test-Spf $Name
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'SpfInvalid'
            $result.Message | Should -Match $Term
            $result.Message | Should -Match 'any server in the world'
            $result.Remediation | Should -Match '-all'
        }

        It 'fails an include of a record that ends with +all' {
            $result = Test-Spf include-plusall
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'include:plusall\.spf\.test .* \+all'
        }

        It 'warns of ?all' {
            $result = Test-Spf neutral
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'SpfInvalid'
            $result.Message | Should -Match '\?all \(neutral\)'
        }

        It 'warns of a record without all or redirect' {
            $result = Test-Spf noall
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'no all mechanism and no redirect'
            $result.Remediation | Should -Match '~all or -all'
        }

        It 'warns of ptr, deprecated' {
            $result = Test-Spf ptr
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'uses ptr, which RFC 7208 §5\.5 deprecates'
        }

        It 'fails eleven lookups through nested includes, naming the count and the chain' {
            $result = Test-Spf lookups
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'SpfInvalid'
            $result.LookupCount | Should -Be 11
            $result.Message | Should -Match 'at least 11 DNS lookups'
            $result.Message | Should -Match ([regex]::Escape('lookups.spf.test > n1.spf.test > n2.spf.test > n3.spf.test > n4.spf.test > n5.spf.test > a:host2.spf.test'))
            $result.Includes | Should -Be @('n1.spf.test', 'n2.spf.test', 'n3.spf.test', 'n4.spf.test', 'n5.spf.test')
        }

        It 'fails an include loop, naming it' {
            $result = Test-Spf loop
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'includes itself'
            $result.Message | Should -Match ([regex]::Escape('loop.spf.test > loop-b.spf.test > include:loop.spf.test'))
        }

        It 'fails three void lookups, naming the names' {
            $result = Test-Spf void
            $result.Status | Should -Be 'Failed'
            $result.VoidLookupCount | Should -Be 3
            $result.Message | Should -Match '3 lookups of names that do not exist'
            $result.Message | Should -Match 'gone1\.spf\.test, gone2\.spf\.test, gone3\.spf\.test'
        }

        It 'fails an include of a name without SPF record' {
            $result = Test-Spf include-nospf
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'include:nospf-target\.spf\.test .* names nospf-target\.spf\.test, which has no SPF record'
        }

        It 'fails an mx mechanism with eleven mail hosts' {
            $result = Test-Spf mxmany
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match '11 mail hosts'
        }

        It 'fails a syntax error, naming the term' {
            $result = Test-Spf syntax
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'SpfInvalid'
            $result.Message | Should -Match "invalid at 'ip4:192\.0\.2\.300': this is not an IPv4 address"
        }

        It 'shows a hostile term escaped, never as a terminal escape' {
            $result = Test-Spf hostile
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match ([regex]::Escape('\x1B[31mred'))
            $result.Record | Should -Match ([regex]::Escape('\x1B[31mred'))
            ($result | ConvertTo-Json -Depth 4) | Should -Not -Match "`e"
        }

        It 'fails a missing provider include, saying what to publish' {
            $result = Test-Spf no-provider @{ Provider = 'OvhEurope' }
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'does not include mx\.ovh\.com: mail sent through OVHcloud Exchange fails SPF'
            $result.Remediation | Should -Match ([regex]::Escape('v=spf1 ip4:192.0.2.0/24 a mx include:mx.ovh.com -all'))
        }

        It 'holds the record to -ExpectedInclude, which replaces -Provider' {
            (Test-Spf nested @{ ExpectedInclude = '_SPF.spf.test.'; Provider = 'OvhCanada' }).Status | Should -Be 'Passed'
            $result = Test-Spf ok @{ ExpectedInclude = 'mx.ovh.com', 'spf.protection.outlook.com' }
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'does not include spf\.protection\.outlook\.com, as expected'
            $result.Expected | Should -Match 'mx\.ovh\.com, spf\.protection\.outlook\.com'
        }

        It 'rejects an -ExpectedInclude that is not a domain name before asking anything' {
            { Test-ExchangeSpf -Domain ok.spf.test -ExpectedInclude 'not a domain!' -DnsServer $dns -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidExpectedInclude,ExchangeDiag.Commands.TestExchangeSpfCommand'
        }
    }

    Context 'DNS, pipeline, -Quiet and languages' {
        It 'reports SERVFAIL as Error DnsUnavailable' {
            $result = Test-ExchangeSpf -Domain x.broken.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match 'SERVFAIL'
        }

        It 'checks a pipeline of domains and e-mail addresses, results in input order' {
            $results = 'lookups.spf.test', 'user@ok.spf.test', 'plusall.spf.test', 'neutral.spf.test' | Test-ExchangeSpf -DnsServer $dns
            $results.Target | Should -Be @('lookups.spf.test', 'ok.spf.test', 'plusall.spf.test', 'neutral.spf.test')
            $results.Status | Should -Be @('Failed', 'Passed', 'Failed', 'Warning')
        }

        It 'returns only booleans with -Quiet' {
            $answers = Test-ExchangeSpf -Domain ok.spf.test, plusall.spf.test, neutral.spf.test -DnsServer $dns -Quiet
            $answers | Should -Be @($true, $false, $true)
        }

        It 'writes its message and remediation in French under a French UI culture, the trace in English' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-Spf lookups
                $missing = Test-Spf none @{ Provider = 'OvhEurope' }
            }
            finally { [cultureinfo]::CurrentUICulture = $before }
            $result.Message | Should -Match "L'enregistrement SPF de lookups\.spf\.test demande au moins 11 requêtes DNS"
            $result.Remediation | Should -Match 'Ramenez'
            ($result.Steps | Where-Object Name -eq 'Lookup limit').Detail | Should -Match 'past the limit of 10'
            $missing.Message | Should -Match "n'a pas d'enregistrement SPF"
            $missing.Remediation | Should -Match 'Publiez cet enregistrement TXT à none\.spf\.test : v=spf1 include:mx\.ovh\.com ~all'
        }

        It 'exports clean CSV and JSON' {
            $result = Test-Spf ok
            $path = Join-Path $TestDrive 'spf.csv'
            $result | Export-Csv -Path $path -NoTypeInformation
            $row = Import-Csv -Path $path
            $row.Mechanisms | Should -Be 'include:mx.ovh.com; ~all'
            $row.Includes | Should -Be 'mx.ovh.com'
            $row.LookupCount | Should -Be '1'
            $data = $result | ConvertTo-Json -Depth 5 -EnumsAsStrings | ConvertFrom-Json
            $data.Mechanisms[0].Name | Should -Be 'include'
            $data.Mechanisms[0].Value | Should -Be 'mx.ovh.com'
            $data.Cause | Should -Be 'None'
            (Get-Content -Path $path -Raw) | Should -Not -Match 'System\.|ExchangeDiag\.'
        }

        It 'reads as one line in a Pester failure message' {
            (Test-Spf plusall).ToString() | Should -Match '^Spf plusall\.spf\.test: Failed \(SpfInvalid\) - The SPF record'
        }
    }
}
