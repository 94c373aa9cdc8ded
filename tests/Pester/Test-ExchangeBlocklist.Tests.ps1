# Test-ExchangeBlocklist against NSD on loopback, serving the lab's blocklists (tests/lab/zones/dnsbl.test.zone,
# dnsbl2.test.zone) and domains whose MX hosts resolve to listed and clean 127.0.0.x addresses (blocklist.test.zone).
# The lab NSD serves the public default zones as stand-ins that list their test entry 127.0.0.2 (RFC 5782
# section 5) and, in zen.spamhaus.org, one PBL address (127.0.0.10): every test names -Zone but the one
# that shows the defaults are asked.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:lab = @{ Zone = 'dnsbl.test'; DnsServer = $env:EXCHANGEDIAG_LAB_DNS }
}

Describe 'Test-ExchangeBlocklist' {
    Context 'a domain''s MX hosts' {
        It 'fails a domain whose MX host is listed, naming the address, the host, the zone and the list''s reason' {
            $result = Test-ExchangeBlocklist -Domain listed.blocklist.test @lab
            $result.Check | Should -Be 'Blocklist'
            $result.Target | Should -Be 'listed.blocklist.test'
            $result.Status | Should -Be 'Failed'
            $result.Passed | Should -BeFalse
            $result.Cause | Should -Be 'Blocklisted'
            $result.Message | Should -Match '127\.0\.0\.2 \(MX host listed-mx\.blocklist\.test\) is listed on the blocklist dnsbl\.test: answer 127\.0\.0\.2; the list says "Listed for the lab: test entry'
            $result.Remediation | Should -Match 'removal page'
            $result.Addresses | Should -Be @('127.0.0.2', '127.0.0.1', '2001:db8::3')
            $result.Zones | Should -Be @('dnsbl.test')
            $result.Listings.Count | Should -Be 1
            $result.Listings[0].Address | Should -Be '127.0.0.2'
            $result.Listings[0].Zone | Should -Be 'dnsbl.test'
            $result.Listings[0].Answer | Should -Be '127.0.0.2'
            $result.Listings[0].Reason | Should -Match '^Listed for the lab'
        }

        It 'lists each zone that lists the address' {
            $result = Test-ExchangeBlocklist -Domain listed.blocklist.test -Zone dnsbl.test, dnsbl2.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Listings.Zone | Should -Be @('dnsbl.test', 'dnsbl2.test')
            $result.Message | Should -Match 'and 1 more finding'
        }

        It 'passes a domain whose MX addresses, IPv4 and IPv6, are not listed' {
            $result = Test-ExchangeBlocklist -Domain clean.blocklist.test @lab
            $result.Status | Should -Be 'Passed'
            $result.Cause | Should -Be 'None'
            $result.Message | Should -Be 'No address of clean.blocklist.test (2 asked about) is listed on dnsbl.test.'
            $result.Listings.Count | Should -Be 0
            $result.Addresses | Should -Be @('127.0.0.1', '2001:db8::3')
            ($result.Steps | Where-Object Name -eq 'dnsbl.test 2001:db8::3').Detail | Should -Match '8\.b\.d\.0\.1\.0\.0\.2\.dnsbl\.test.*NXDOMAIN'
        }

        It 'checks the domain''s own address when it has no MX record (implicit MX)' {
            $result = Test-ExchangeBlocklist -Domain implicit.blocklist.test @lab
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match '127\.0\.0\.4 \(MX host implicit\.blocklist\.test\)'
            ($result.Steps | Where-Object Name -eq 'MX hosts').Detail | Should -Match 'implicit MX'
        }

        It 'warns, Blocklisted kept, when an MX host is on the Spamhaus PBL alone: it matters only if the host sends directly' {
            $result = Test-ExchangeBlocklist -Domain pbl.blocklist.test -Zone zen.spamhaus.org -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'Blocklisted'
            $result.Listings.Count | Should -Be 1
            $result.Listings[0].Answer | Should -Be '127.0.0.10'
            $result.Message | Should -Match '127\.0\.0\.10 \(MX host pbl-mx\.blocklist\.test\) is on the blocklist zen\.spamhaus\.org only as Spamhaus PBL.*not a spam report, and it matters only if this host sends mail directly'
            $result.Remediation | Should -Match 'smarthost'
            $french = Invoke-InCulture 'fr-FR' { Test-ExchangeBlocklist -Domain pbl.blocklist.test -Zone zen.spamhaus.org -DnsServer $dns }
            $french.Message | Should -Match 'seulement au titre de Spamhaus PBL.*pas un signalement de spam'
        }

        It 'fails the same PBL address when it is asked about as an address (-IPAddress)' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.10 -Zone zen.spamhaus.org -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'Blocklisted'
            $result.Message | Should -Match '127\.0\.0\.10 is listed on the blocklist zen\.spamhaus\.org: Spamhaus PBL'
        }

        It 'does not ask about private addresses and says why' {
            $result = Test-ExchangeBlocklist -Domain private.blocklist.test @lab
            $result.Status | Should -Be 'Passed'
            $result.Message | Should -Match 'no public address.*10\.0\.0\.25, 192\.168\.1\.25'
            $result.Addresses.Count | Should -Be 0
            ($result.Steps | Where-Object Name -eq 'Skip 10.0.0.25').Detail | Should -Match 'private \(RFC 1918\)'
        }

        It 'fails a domain that does not exist, as the MX check does' {
            $result = Test-ExchangeBlocklist -Domain nope.blocklist.test @lab
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
        }

        It 'warns when no MX host resolves and there is nothing to ask about' {
            $result = Test-ExchangeBlocklist -Domain dead.blocklist.test @lab
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'no MX host resolves'
        }
    }

    Context 'answers that are no listing' {
        It 'warns, never lists, when the list refuses the query (127.255.255.254), and says to use a resolver of one''s own' {
            $result = Test-ExchangeBlocklist -Domain refused.blocklist.test -Zone dnsbl.test, dnsbl2.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Listings.Count | Should -Be 0
            $result.Message | Should -Match 'The blocklist dnsbl\.test refused to answer about 127\.0\.0\.3 \(127\.255\.255\.254: the query came through a public or open resolver\)'
            $result.Remediation | Should -Match 'resolver of your own'
        }

        It 'says it is unknown (a Warning, Cause None, not a DNS failure) when the only list asked refuses' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.3 @lab
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'None'
            $result.Listings.Count | Should -Be 0
            $result.Observed | Should -Be 'unknown: no blocklist answered'
            $result.Message | Should -Match 'Whether 127\.0\.0\.3 is listed is unknown: no blocklist gave a usable answer \(dnsbl\.test: refused \(127\.255\.255\.254\)\); ask through a DNS resolver of your own \(-DnsServer\)'
            $result.Remediation | Should -Match '-DnsServer'
            $french = Invoke-InCulture 'fr-FR' { Test-ExchangeBlocklist -IPAddress 127.0.0.3 @lab }
            $french.Message | Should -Match 'On ne sait pas si 127\.0\.0\.3 est inscrit'
        }

        It 'never says "not listed" on the word of a zone that does not list its test entry 127.0.0.2 (NXDOMAIN for everything)' {
            # blocklist.test is no blocklist: it answers NXDOMAIN for every address, as a resolver that forwards nothing for blocklists does.
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.1 -Zone dnsbl.test, blocklist.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'None'
            $result.Message | Should -Match 'Could not ask the blocklist blocklist\.test about 127\.0\.0\.1: it does not list its test entry 127\.0\.0\.2 \(NXDOMAIN\)'
            ($result.Steps | Where-Object Name -eq 'blocklist.test test entry').Status | Should -Be 'Warning'
            ($result.Steps | Where-Object Name -eq 'dnsbl.test test entry').Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -eq 'blocklist.test 127.0.0.1').Detail | Should -Match 'Unverified'

            $alone = Test-ExchangeBlocklist -Domain clean.blocklist.test -Zone blocklist.test -DnsServer $dns
            $alone.Status | Should -Be 'Warning'
            $alone.Observed | Should -Not -Be 'not listed'
            $alone.Message | Should -Match 'Whether clean\.blocklist\.test is listed is unknown.*blocklist\.test: test entry 127\.0\.0\.2 not listed \(NXDOMAIN\)'
        }

        It 'warns, never lists, when the answer is no listing code (a resolver that rewrites NXDOMAIN)' {
            $result = Test-ExchangeBlocklist -Domain hijacked.blocklist.test -Zone dnsbl.test, dnsbl2.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Listings.Count | Should -Be 0
            $result.Message | Should -Match 'dnsbl\.test answered 192\.0\.2\.1 about 127\.0\.0\.6, which is no listing code'
        }

        It 'warns about a 127.x code outside 127.0.0.2-127.0.0.11' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.8 -Zone dnsbl.test, dnsbl2.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'answered 127\.0\.1\.2'
        }

        It 'warns about a zone that fails (SERVFAIL) while another answers' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.1 -Zone dnsbl.test, broken.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'Could not ask the blocklist broken\.test about 127\.0\.0\.1 \(SERVFAIL\)'
        }

        It 'asks the default zones when -Zone is omitted (the lab serves them, listing their test entry)' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.1 -DnsServer $dns
            $result.Zones | Should -Be @('zen.spamhaus.org', 'bl.spamcop.net')
            $result.Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -like '* test entry').Status | Should -Be @('Passed', 'Passed')
        }

        It 'gets REFUSED for zones the DNS server will not answer: could not ask, never listed, never LocalDnsFailure' {
            # The lab NSD refuses zones it does not serve, as a resolver refused by a list does.
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.2 -Zone zen.unserved.example, bl.unserved.example -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'None'
            $result.Listings.Count | Should -Be 0
            $result.Message | Should -Match 'zen\.unserved\.example: REFUSED; bl\.unserved\.example: REFUSED'
            $findings = $result.Steps | Where-Object Name -eq 'Finding'
            $findings.Status | Should -Be @('Warning', 'Warning')
            $findings[0].Detail | Should -Match 'Could not ask the blocklist zen\.unserved\.example'

            $mixed = Test-ExchangeBlocklist -IPAddress 127.0.0.1 -Zone dnsbl.test, zen.unserved.example -DnsServer $dns
            $mixed.Status | Should -Be 'Warning'
            $mixed.Message | Should -Match 'Could not ask the blocklist zen\.unserved\.example about 127\.0\.0\.1 \(REFUSED\)'
        }
    }

    Context '-IPAddress' {
        It 'fails a listed IPv4 address and passes a clean one' {
            $listed = Test-ExchangeBlocklist -IPAddress 127.0.0.4 @lab
            $listed.Target | Should -Be '127.0.0.4'
            $listed.Status | Should -Be 'Failed'
            $listed.Message | Should -Be '127.0.0.4 is listed on the blocklist dnsbl.test: answer 127.0.0.4.'
            (Test-ExchangeBlocklist -IPAddress 127.0.0.1 @lab).Message | Should -Be '127.0.0.1 is not listed on dnsbl.test.'
        }

        It 'asks about IPv6 addresses by their reversed nibbles' {
            $listed = Test-ExchangeBlocklist -IPAddress 2001:DB8::2 @lab
            $listed.Target | Should -Be '2001:db8::2'
            $listed.Status | Should -Be 'Failed'
            $listed.Listings[0].Reason | Should -Be 'IPv6 test entry'
            (Test-ExchangeBlocklist -IPAddress 2001:db8::3 @lab).Status | Should -Be 'Passed'
        }

        It 'keeps every code of one answer and shows a hostile reason safely' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.9 @lab
            $result.Listings[0].Answer | Should -Be '127.0.0.2, 127.0.0.9'
            $result.Listings[0].Reason | Should -Be '\x1B[31mspam source\x1B[0m'
            $result.Message | Should -Not -Match ([char]27)
        }

        It 'writes a non-terminating error for an input that is no address, and goes on with the next' {
            $results = @(Test-ExchangeBlocklist -IPAddress 'nonsense', '127.0.0.2' @lab -ErrorVariable errors -ErrorAction SilentlyContinue)
            $results.Count | Should -Be 1
            $results[0].Target | Should -Be '127.0.0.2'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidIPAddress,ExchangeDiag.Commands.TestExchangeBlocklistCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errors[0].TargetObject | Should -Be 'nonsense'
            $errors[0].Exception.Message | Should -Match "'nonsense' is not an IP address"
        }

        It 'takes objects with an IPAddress property from the pipeline' {
            $results = @([pscustomobject]@{ IPAddress = '127.0.0.2' }, [pscustomobject]@{ IPAddress = '127.0.0.1' }) | Test-ExchangeBlocklist @lab
            $results.Target | Should -Be @('127.0.0.2', '127.0.0.1')
            $results.Status | Should -Be @('Failed', 'Passed')
        }
    }

    Context 'input and output' {
        It 'keeps the input order of a pipeline, e-mail addresses standing for their domain' {
            $results = 'hijacked.blocklist.test', 'someone@LISTED.blocklist.test', 'clean.blocklist.test' | Test-ExchangeBlocklist @lab -ThrottleLimit 3
            $results.Target | Should -Be @('hijacked.blocklist.test', 'listed.blocklist.test', 'clean.blocklist.test')
        }

        It 'answers $true or $false with -Quiet, in order' {
            $answers = 'listed.blocklist.test', 'clean.blocklist.test' | Test-ExchangeBlocklist @lab -Quiet
            $answers | Should -Be @($false, $true)
        }

        It 'refuses a -Zone that is no host name before asking anything' {
            { Test-ExchangeBlocklist -IPAddress 127.0.0.2 -Zone 'someone@dnsbl.test' -DnsServer $dns -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidZone,ExchangeDiag.Commands.TestExchangeBlocklistCommand'
        }

        It 'writes its message in French' {
            $result = Invoke-InCulture 'fr-FR' { Test-ExchangeBlocklist -Domain listed.blocklist.test @lab }
            $result.Message | Should -Match '127\.0\.0\.2 \(hôte MX listed-mx\.blocklist\.test\) figure sur la liste de blocage dnsbl\.test : réponse 127\.0\.0\.2 ; la liste indique « Listed for the lab'
            $result.Remediation | Should -Match 'page de retrait'
            ($result.Steps | Where-Object Name -eq 'MX lookup').Detail | Should -Match 'asked of' -Because 'steps stay an English trace'
        }

        It 'reads as one line and converts to clean JSON and CSV' {
            $result = Test-ExchangeBlocklist -IPAddress 127.0.0.2 @lab
            $result.ToString() | Should -Match '^Blocklist 127\.0\.0\.2: Failed \(Blocklisted\) - '
            $data = $result | ConvertTo-Json -Depth 5 -EnumsAsStrings | ConvertFrom-Json
            $data.Cause | Should -Be 'Blocklisted'
            $data.Listings[0].Zone | Should -Be 'dnsbl.test'
            $path = Join-Path $TestDrive 'blocklist.csv'
            $result | Export-Csv -Path $path -NoTypeInformation
            $row = Import-Csv -Path $path
            $row.Listings | Should -Be '127.0.0.2 on dnsbl.test: 127.0.0.2'
            $row.Addresses | Should -Be '127.0.0.2'
            (Get-Content -Path $path -Raw) | Should -Not -Match 'System\.|ExchangeDiag\.'
        }
    }
}
