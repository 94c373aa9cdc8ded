# Test-ExchangeMx against NSD on loopback, serving the zones of tests/lab/DnsLab.psm1.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
    $script:ovhMx = 'mx0.mail.ovh.net', 'mx1.mail.ovh.net', 'mx2.mail.ovh.net', 'mx3.mail.ovh.net', 'mx4.mail.ovh.net'
}

Describe 'Test-ExchangeMx' {
    Context 'against the OVHcloud Europe MX set (-Provider OvhEurope)' {
        It 'passes a domain with the five OVHcloud MX hosts, records sorted by preference' {
            $result = Test-ExchangeMx -Domain ovh-ok.lab.test -Provider OvhEurope -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Passed | Should -BeTrue
            $result.Cause | Should -Be 'None'
            $result.Remediation | Should -BeNullOrEmpty
            $result.Records.Exchange | Should -Be $ovhMx
            $result.Records.Preference | Should -Be @(1, 5, 50, 100, 200)
        }

        It 'warns when only part of the set is published, naming what is missing' {
            $result = Test-ExchangeMx -Domain ovh-partial.lab.test -Provider OvhEurope -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Passed | Should -BeTrue
            $result.Message | Should -Match 'Only 1 of the 5'
            $result.Message | Should -Match 'mx0\.mail\.ovh\.net'
        }

        It 'fails an MX outside the set, naming the host and the records to set' {
            $result = Test-ExchangeMx -Domain ovh-foreign.lab.test -Provider OvhEurope -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Passed | Should -BeFalse
            $result.Cause | Should -Be 'MxInvalid'
            $result.Message | Should -Match 'MX points to mx\.other\.test, which is not an OVHcloud Exchange MX host'
            $result.Remediation | Should -Match 'mx0\.mail\.ovh\.net \(preference 1\)'
            $result.Observed | Should -Be '5 mx1.mail.ovh.net, 10 mx.other.test'
        }

        It 'accepts the Exchange server as the only MX when -ExchangeServer names it (POP/IMAP hosted elsewhere)' {
            $result = Test-ExchangeMx -Domain ovh-exonly.lab.test -Provider OvhEurope -ExchangeServer ex4.mail.ovh.net -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Message | Should -Match 'Exchange server ex4\.mail\.ovh\.net'
        }

        It 'fails the Exchange server as MX when -ExchangeServer is not given' {
            $result = Test-ExchangeMx -Domain ovh-exonly.lab.test -Provider OvhEurope -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'ex4\.mail\.ovh\.net, which is not an OVHcloud Exchange MX host'
        }

        It 'holds a Canadian domain to the .ca hosts' {
            (Test-ExchangeMx -Domain ca-ok.lab.test -Provider OvhCanada -DnsServer $dns).Status | Should -Be 'Passed'
            (Test-ExchangeMx -Domain ca-ok.lab.test -Provider OvhEurope -DnsServer $dns).Status | Should -Be 'Failed'
        }
    }

    Context 'records that are wrong whatever the provider' {
        It 'fails a domain that does not exist (NXDOMAIN)' {
            $result = Test-ExchangeMx -Domain nope.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Cause | Should -Be 'DomainNotFound'
            $result.Message | Should -Match 'The domain nope\.lab\.test does not exist'
            $result.Remediation | Should -Match 'spelling'
            $result.Observed | Should -Be 'NXDOMAIN'
        }

        It 'fails a domain without MX records' {
            $result = Test-ExchangeMx -Domain nomx.lab.test -Provider OvhEurope -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'has no MX record'
            $result.Remediation | Should -Match 'mx1\.mail\.ovh\.net'
        }

        It 'fails a null MX (RFC 7505)' {
            $result = Test-ExchangeMx -Domain nullmx.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'null MX'
            $result.Records.Exchange | Should -Be '.'
        }

        It 'warns when an MX target is an alias (CNAME)' {
            $result = Test-ExchangeMx -Domain cname-mx.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'alias \(CNAME\) of host\.lab\.test'
        }

        It 'warns when one MX host does not resolve while another does' {
            $result = Test-ExchangeMx -Domain half-dead.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'dead\.lab\.test does not exist'
        }

        It 'fails when no MX host resolves' {
            $result = Test-ExchangeMx -Domain all-dead.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'No MX host of all-dead\.lab\.test resolves'
        }

        It 'passes, without an expected set, MX records whose hosts resolve' {
            $result = Test-ExchangeMx -Domain custom.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            ($result.Steps | Where-Object Name -like 'Resolve *').Detail | Should -Contain '192.0.2.51'
        }

        It 'holds the domain to -ExpectedMx, comparing names without case or trailing dot' {
            (Test-ExchangeMx -Domain custom.lab.test -ExpectedMx 'MAIL1.lab.test.', 'mail2.lab.test' -Provider OvhEurope -DnsServer $dns).Status | Should -Be 'Passed'
            $result = Test-ExchangeMx -Domain custom.lab.test -ExpectedMx mail1.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'mail2\.lab\.test, which is not one of the expected MX hosts'
        }

        It 'warns, not errs, when the server asked refuses to answer for an MX host in another zone' {
            $result = Test-ExchangeMx -Domain refused-target.lab.test -DnsServer $dns
            $result.Status | Should -Be 'Warning'
            $result.Message | Should -Match 'Could not verify that MX host mx\.unserved\.example resolves'
        }

        It 'reads an answer too large for UDP over TCP' {
            $result = Test-ExchangeMx -Domain many-mx.lab.test -DnsServer $dns
            $result.Records.Count | Should -Be 60
            $result.Status | Should -Be 'Passed'
        }
    }

    Context 'input' {
        It 'takes an e-mail address and checks its domain' {
            (Test-ExchangeMx -Domain 'someone@OVH-OK.lab.test' -DnsServer $dns).Target | Should -Be 'ovh-ok.lab.test'
        }

        It 'takes objects with a Domain or EmailAddress property from the pipeline' {
            $results = @(
                [pscustomobject]@{ Domain = 'ovh-ok.lab.test' }
                [pscustomobject]@{ EmailAddress = 'user@custom.lab.test' }
            ) | Test-ExchangeMx -DnsServer $dns
            $results.Target | Should -Be @('ovh-ok.lab.test', 'custom.lab.test')
        }

        It 'takes the domain of a PrimarySmtpAddress, WindowsEmailAddress, Mail or UserPrincipalName property (Get-Mailbox, Get-ADUser)' {
            $results = @(
                [pscustomobject]@{ PrimarySmtpAddress = 'healthy@post.lab.test' }
                [pscustomobject]@{ WindowsEmailAddress = 'user@ovh-ok.lab.test' }
                [pscustomobject]@{ Mail = 'user@custom.lab.test' }
                [pscustomobject]@{ UserPrincipalName = 'user@ca-ok.lab.test' }
            ) | Test-ExchangeMx -DnsServer $dns -ErrorVariable bindErrors
            $bindErrors | Should -BeNullOrEmpty
            $results.Target | Should -Be @('post.lab.test', 'ovh-ok.lab.test', 'custom.lab.test', 'ca-ok.lab.test')
        }

        It 'prefers the PrimarySmtpAddress to the UserPrincipalName of the same object (a login is not always an address)' {
            $result = [pscustomobject]@{ UserPrincipalName = 'jane@corp.invalid'; PrimarySmtpAddress = 'jane@post.lab.test' } | Test-ExchangeMx -DnsServer $dns
            $result.Target | Should -Be 'post.lab.test'
        }

        It 'checks the rows of an Exchange export read with Import-Csv, not the text of each row' {
            $csv = Join-Path ([IO.Path]::GetTempPath()) "exo-$([guid]::NewGuid()).csv"
            try {
                @(
                    [pscustomobject]@{ DisplayName = 'Healthy'; PrimarySmtpAddress = 'healthy@post.lab.test'; RecipientTypeDetails = 'UserMailbox' }
                    [pscustomobject]@{ DisplayName = 'Custom'; PrimarySmtpAddress = 'someone@custom.lab.test'; RecipientTypeDetails = 'UserMailbox' }
                ) | Export-Csv -Path $csv -NoTypeInformation
                $results = Import-Csv $csv | Test-ExchangeMx -DnsServer $dns -ErrorVariable rowErrors
                $rowErrors | Should -BeNullOrEmpty
                $results.Target | Should -Be @('post.lab.test', 'custom.lab.test')
                $results[0].Status | Should -Be 'Passed'
            }
            finally { Remove-Item $csv -ErrorAction SilentlyContinue }
        }

        It 'names the domain in each -Verbose line of a check when several run at once, and not for one domain' {
            $lines = (Test-ExchangeMx -Domain post.lab.test, custom.lab.test -DnsServer $dns -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $lines | Should -Contain "post.lab.test: DNS MX post.lab.test: asking $dns"
            $lines | Should -Contain "custom.lab.test: DNS MX custom.lab.test: asking $dns"
            $lines | Should -Contain "Asking $dns (from -DnsServer)." -Because 'a line about the whole invocation names no domain'

            $one = (Test-ExchangeMx -Domain post.lab.test -DnsServer $dns -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $one | Should -Contain "DNS MX post.lab.test: asking $dns"
        }

        It 'takes -ExpectedMx in any case and with a trailing dot, and reports it in DNS form' {
            $result = Test-ExchangeMx -Domain custom.lab.test -ExpectedMx 'MAIL1.Lab.Test.', 'mail2.lab.test' -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Expected | Should -Be 'mail1.lab.test, mail2.lab.test'
        }

        It 'rejects an e-mail address given as -ExpectedMx' {
            { Test-ExchangeMx -Domain custom.lab.test -ExpectedMx 'someone@mail1.lab.test' -DnsServer $dns -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidExpectedMx,ExchangeDiag.Commands.TestExchangeMxCommand'
        }

        It 'rejects -ExpectedMx values that are not host names before asking anything' {
            { Test-ExchangeMx -Domain ovh-ok.lab.test -ExpectedMx 'not a host!' -DnsServer $dns -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidExpectedMx,ExchangeDiag.Commands.TestExchangeMxCommand'
        }
    }

    Context 'output for people and for files' {
        BeforeAll {
            $script:foreign = Test-ExchangeMx -Domain ovh-foreign.lab.test -Provider OvhEurope -DnsServer $dns
        }

        It 'reads as one line in a Pester failure message' {
            $text = $foreign.ToString()
            $text | Should -Match '^Mx ovh-foreign\.lab\.test: Failed \(MxInvalid\) - MX points to mx\.other\.test'
            $text | Should -Not -Match "`n"
        }

        It 'shows a Check/Target/Status/Message table by default and the evidence in a list' {
            $table = $foreign | Out-String -Width 200
            $table | Should -Match 'Check\s+Target\s+Status\s+Message'
            $list = $foreign | Format-List | Out-String -Width 200
            $list | Should -Match 'Remediation\s*: Remove the MX record for mx\.other\.test'
            $list | Should -Match 'Records\s*: 5 mx1\.mail\.ovh\.net'
        }

        It 'converts to clean JSON: enums as names, records and steps as plain objects' {
            $json = $foreign | ConvertTo-Json -Depth 5 -EnumsAsStrings
            $data = $json | ConvertFrom-Json
            $data.Status | Should -Be 'Failed'
            $data.Cause | Should -Be 'MxInvalid'
            $data.Passed | Should -BeFalse
            $data.Records[1].Exchange | Should -Be 'mx.other.test'
            $data.Records[1].Preference | Should -Be 10
            $data.Steps[0].Name | Should -Be 'MX lookup'
            $data.Steps[0].Status | Should -Be 'Passed'
            $json | Should -Not -Match 'ExchangeDiag\.|System\.'
        }

        It 'exports to CSV with readable cells' {
            $path = Join-Path $TestDrive 'mx.csv'
            $foreign | Export-Csv -Path $path -NoTypeInformation
            $row = Import-Csv -Path $path
            $row.Status | Should -Be 'Failed'
            $row.Cause | Should -Be 'MxInvalid'
            $row.Records | Should -Be '5 mx1.mail.ovh.net; 10 mx.other.test'
            $row.Steps | Should -Match '^MX lookup: Passed'
            (Get-Content -Path $path -Raw) | Should -Not -Match 'System\.|ExchangeDiag\.'
        }
    }
}
