# Test-ExchangeDmarc against NSD on loopback, serving tests/lab/zones/dmarc.test.zone,
# dmarc-reports.test.zone (a third party receiving reports) and nodmarc.test.zone.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
}

Describe 'Test-ExchangeDmarc' {
    Context 'policies' {
        It 'passes p=reject and reports the record, alignment and report addresses' {
            $result = Test-ExchangeDmarc -Domain reject.dmarc.test -DnsServer $dns
            $result.Check | Should -Be 'Dmarc'
            $result.Status | Should -Be 'Passed'
            $result.Cause | Should -Be 'None'
            $result.PolicyDomain | Should -Be 'reject.dmarc.test'
            $result.Policy | Should -Be 'reject'
            $result.AppliedPolicy | Should -Be 'reject'
            $result.Percentage | Should -Be 100
            $result.DkimAlignment | Should -Be 'strict'
            $result.SpfAlignment | Should -Be 'strict'
            $result.ReportUris | Should -Be 'mailto:dmarc@reject.dmarc.test'
            $result.ForensicUris | Should -Be 'mailto:forensic@reject.dmarc.test'
            $result.Record | Should -BeLike 'v=DMARC1; p=reject;*'
            $result.Message | Should -Be 'reject.dmarc.test publishes the DMARC policy p=reject.'
        }

        It 'warns of p=none: monitoring only' {
            $result = Test-ExchangeDmarc -Domain none.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Message | Should -Match 'p=none: it only monitors'
            $result.Remediation | Should -Match 'p=quarantine, then p=reject'
        }

        It 'warns of pct under 100' {
            $result = Test-ExchangeDmarc -Domain pct50.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Percentage | Should -Be 50
            $result.Message | Should -Match 'only 50% of the mail that fails'
        }

        It 'fails two DMARC records (receivers then apply none)' {
            $result = Test-ExchangeDmarc -Domain two.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Message | Should -Match 'holds 2 DMARC records'
        }

        It 'ignores a TXT record that is not DMARC beside the real one' {
            (Test-ExchangeDmarc -Domain other-txt.dmarc.test -DnsServer $dns).Status | Should -Be 'Passed'
        }

        It 'fails a record without p=' {
            $result = Test-ExchangeDmarc -Domain nop.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Message | Should -Match 'p= tag \(the policy\) is missing'
        }

        It 'only warns of a report address written without mailto: receivers still apply the policy (RFC 7489 §6.6.3)' {
            $result = Test-ExchangeDmarc -Domain badrua.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Policy | Should -Be 'reject'
            $result.AppliedPolicy | Should -Be 'reject'
            $result.Message | Should -Match "'reports@badrua\.dmarc\.test' is not a URI"
            $result.Message | Should -Match 'They still apply p=reject'
            $result.Remediation | Should -Match 'mailto:address@domain'
        }

        It 'reads p= past a stray segment and only warns of it and of a bad fo=' {
            $result = Test-ExchangeDmarc -Domain stray.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Policy | Should -Be 'reject'
            $result.AppliedPolicy | Should -Be 'reject'
            $result.Message | Should -Match "'reject' is not tag=value"
            $result.Message | Should -Match 'fo=2'
        }

        It 'fails an invalid sp=, for the domain itself as for a subdomain: receivers discard the whole record (RFC 7489 §6.6.3)' {
            $own = Test-ExchangeDmarc -Domain badsp.dmarc.test -DnsServer $dns
            $own.Status | Should -Be 'Failed'
            $own.Cause | Should -Be 'DmarcInvalid'
            $own.AppliedPolicy | Should -BeNullOrEmpty
            $own.Message | Should -Match 'sp=maybe'
            $sub = Test-ExchangeDmarc -Domain child.badsp.dmarc.test -DnsServer $dns
            $sub.Status | Should -Be 'Failed'
            $sub.Cause | Should -Be 'DmarcInvalid'
            $sub.PolicyDomain | Should -Be 'badsp.dmarc.test'
            $sub.AppliedPolicy | Should -BeNullOrEmpty
            $sub.Message | Should -Match 'sp=maybe is not none, quarantine or reject'
        }

        It 'warns of a report URI that is not mailto:, which receivers ignore' {
            $result = Test-ExchangeDmarc -Domain httpsrua.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'https://reports\.dmarc\.test/upload is not a mailto: address'
        }
    }

    Context 'tree walk and organisational domain' {
        It 'applies the parent''s sp= to a subdomain without a record of its own' {
            $result = Test-ExchangeDmarc -Domain child.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.PolicyDomain | Should -Be 'dmarc.test'
            $result.Policy | Should -Be 'reject'
            $result.SubdomainPolicy | Should -Be 'quarantine'
            $result.AppliedPolicy | Should -Be 'quarantine'
            $result.Message | Should -Match 'the policy of dmarc\.test applies to it: quarantine'
            ($result.Steps | Where-Object Name -like 'DMARC lookup *').Name | Should -Be @('DMARC lookup _dmarc.child.dmarc.test', 'DMARC lookup _dmarc.dmarc.test')
        }

        It 'walks up more than one label' {
            (Test-ExchangeDmarc -Domain deep.child.dmarc.test -DnsServer $dns).PolicyDomain | Should -Be 'dmarc.test'
        }

        It 'fails a domain with no DMARC record anywhere, never asking the top-level domain' {
            $result = Test-ExchangeDmarc -Domain nodmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DmarcMissing'
            $result.Message | Should -Match 'No DMARC record was found for nodmarc\.test \(asked: _dmarc\.nodmarc\.test\)'
            $result.Remediation | Should -Match '_dmarc\.nodmarc\.test: v=DMARC1; p=none'
            $result.Steps.Name | Should -Not -Contain 'DMARC lookup _dmarc.test'
        }

        It 'fails a domain that does not exist' {
            $result = Test-ExchangeDmarc -Domain nope.nodmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
        }
    }

    Context '_dmarc as an alias (CNAME) of a hosted DMARC service' {
        It 'follows a _dmarc CNAME into another zone, which an authoritative server answers alone' {
            $result = Test-ExchangeDmarc -Domain aliased.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.PolicyDomain | Should -Be 'aliased.dmarc.test'
            $result.Policy | Should -Be 'reject'
            ($result.Steps | Where-Object Name -eq 'DMARC alias _dmarc.aliased.dmarc.test').Detail | Should -Be 'alias of aliased.dmarc.test.policy.dmarc-reports.test'
        }

        It 'follows a _dmarc CNAME to another name of the same zone' {
            $result = Test-ExchangeDmarc -Domain aliased-here.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Policy | Should -Be 'quarantine'
        }

        It 'follows an authorisation record (RFC 7489 §7.1) that is an alias' {
            $result = Test-ExchangeDmarc -Domain aliasauth.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -eq 'Authorisation dmarc-reports.test').Status | Should -Be 'Passed'
        }
    }

    Context 'external report destinations (RFC 7489 §7.1)' {
        It 'treats reports to the parent organisational domain as internal' {
            $result = Test-ExchangeDmarc -Domain parentrua.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Steps.Name | Should -Not -Contain 'Authorisation dmarc.test'
        }

        It 'passes reports to a third party that authorised them' {
            $result = Test-ExchangeDmarc -Domain authorised.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -eq 'Authorisation dmarc-reports.test').Status | Should -Be 'Passed'
        }

        It 'warns that reports to a third party that did not authorise them will not be sent' {
            $result = Test-ExchangeDmarc -Domain unauthorised.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Cause | Should -Be 'DmarcInvalid'
            $result.Message | Should -Match 'Reports to agg@dmarc-reports\.test, ruf@dmarc-reports\.test will not be sent'
            $result.Message | Should -Match 'unauthorised\.dmarc\.test\._report\._dmarc\.dmarc-reports\.test has no v=DMARC1 record'
            $result.Remediation | Should -Match 'publish the TXT record v=DMARC1 at unauthorised\.dmarc\.test\._report\._dmarc\.dmarc-reports\.test'
        }
    }

    Context 'hostile text' {
        It 'shows report addresses printable and cut in the Message and steps' {
            $result = Test-ExchangeDmarc -Domain hostile.dmarc.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Not -Match "`r"
            $result.Message | Should -Match ([regex]::Escape('ctl\x0Dx@dmarc-reports.test'))
            $result.Message | Should -Match 'x{100}…'
            $result.Message | Should -Not -Match 'x{150}'
            foreach ($step in $result.Steps) { $step.Detail | Should -Not -Match "`r" }
        }
    }

    Context 'DNS failures and pipelines' {
        It 'reports SERVFAIL as Error DnsUnavailable' {
            $result = Test-ExchangeDmarc -Domain x.broken.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match 'SERVFAIL'
        }

        It 'returns the results in input order and $true/$false with -Quiet' {
            $domains = 'two.dmarc.test', 'reject.dmarc.test', 'nodmarc.test', 'none.dmarc.test', 'someone@child.dmarc.test'
            ($domains | Test-ExchangeDmarc -DnsServer $dns -ThrottleLimit 5).Target | Should -Be @('two.dmarc.test', 'reject.dmarc.test', 'nodmarc.test', 'none.dmarc.test', 'child.dmarc.test')
            $domains | Test-ExchangeDmarc -DnsServer $dns -Quiet | Should -Be @($false, $true, $false, $true, $true)
        }

        It 'exports clean CSV and JSON' {
            $result = Test-ExchangeDmarc -Domain reject.dmarc.test -DnsServer $dns
            $path = Join-Path $TestDrive 'dmarc.csv'
            $result | Export-Csv -Path $path -NoTypeInformation
            $row = Import-Csv $path
            $row.ReportUris | Should -Be 'mailto:dmarc@reject.dmarc.test'
            $row.AppliedPolicy | Should -Be 'reject'
            $json = $result | ConvertTo-Json -Depth 5 -EnumsAsStrings
            $json | Should -Not -Match 'ExchangeDiag\.|System\.'
        }
    }

    Context 'in French' {
        It 'writes the Message and Remediation in French under a French UI culture' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-ExchangeDmarc -Domain none.dmarc.test -DnsServer $dns
            }
            finally {
                [cultureinfo]::CurrentUICulture = $before
            }
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Be 'La politique DMARC de none.dmarc.test est p=none : elle ne fait que surveiller, et le courrier usurpant son nom est toujours distribué.'
            $result.Remediation | Should -Match 'mettez p=quarantine, puis p=reject'
        }

        It 'writes the warning of mistakes receivers pass over in French' {
            $before = [cultureinfo]::CurrentUICulture
            try {
                [cultureinfo]::CurrentUICulture = 'fr-FR'
                $result = Test-ExchangeDmarc -Domain badrua.dmarc.test -DnsServer $dns
            }
            finally {
                [cultureinfo]::CurrentUICulture = $before
            }
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match "^L'enregistrement DMARC sur _dmarc\.badrua\.dmarc\.test contient des erreurs que les destinataires ignorent"
            $result.Message | Should -Match 'Ils appliquent toujours p=reject'
        }
    }
}
