# Test-ExchangeSrv against NSD on loopback, serving the zones of tests/lab/DnsLab.psm1.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
}

Describe 'Test-ExchangeSrv' {
    It 'passes the record the provider documents: 0 0 443 exN.mail.ovh.net' {
        $result = Test-ExchangeSrv -Domain ovh-ok.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.RecordName | Should -Be '_autodiscover._tcp.ovh-ok.lab.test'
        $result.Records[0].Target | Should -Be 'ex4.mail.ovh.net'
        $result.Records[0].Port | Should -Be 443
        $result.Records[0].Priority | Should -Be 0
        $result.Records[0].Weight | Should -Be 0
    }

    It 'holds the target to -ExpectedTarget' {
        (Test-ExchangeSrv -Domain ovh-ok.lab.test -ExpectedTarget EX4.mail.ovh.net. -DnsServer $dns).Status | Should -Be 'Passed'
        $result = Test-ExchangeSrv -Domain ovh-ok.lab.test -ExpectedTarget ex2.mail.ovh.net -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'SrvInvalid'
        $result.Message | Should -Match 'points to ex4\.mail\.ovh\.net, not to the expected ex2\.mail\.ovh\.net'
    }

    It 'fails a domain without the record, telling which record to add' {
        $result = Test-ExchangeSrv -Domain ovh-partial.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'SrvInvalid'
        $result.Message | Should -Match 'no _autodiscover\._tcp\.ovh-partial\.lab\.test SRV record'
        $result.Remediation | Should -Match '_autodiscover\._tcp\.ovh-partial\.lab\.test\. SRV 0 0 443 ex\?\.mail\.ovh\.net'
    }

    It 'says the domain does not exist when neither the record nor the domain does' {
        $result = Test-ExchangeSrv -Domain nowhere.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'DomainNotFound'
        $result.Message | Should -Match 'The domain nowhere\.lab\.test does not exist'
        $result.Observed | Should -Be 'NXDOMAIN'
    }

    It 'fails a port other than 443' {
        $result = Test-ExchangeSrv -Domain srv-port.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Message | Should -Match 'port 8443'
    }

    It 'fails, with -Provider, a target that is not the provider''s Exchange server, and passes it without' {
        $result = Test-ExchangeSrv -Domain srv-foreign.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Message | Should -Match 'host\.lab\.test, which is not an OVHcloud Exchange server'
        (Test-ExchangeSrv -Domain srv-foreign.lab.test -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'holds a Canadian domain to exN.mail.ovh.ca' {
        (Test-ExchangeSrv -Domain ca-ok.lab.test -Provider OvhCanada -DnsServer $dns).Status | Should -Be 'Passed'
        (Test-ExchangeSrv -Domain ca-ok.lab.test -Provider OvhEurope -DnsServer $dns).Status | Should -Be 'Failed'
    }

    It 'fails a target that does not resolve' {
        $result = Test-ExchangeSrv -Domain srv-dead.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Message | Should -Match 'ex99\.mail\.ovh\.net does not exist'
    }

    It 'fails a "." target (service not offered)' {
        (Test-ExchangeSrv -Domain srv-dot.lab.test -DnsServer $dns).Message | Should -Match "target is '\.'"
    }

    It 'warns, with -Provider, about a priority or weight other than 0' {
        $result = Test-ExchangeSrv -Domain srv-weight.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Warning'
        $result.Passed | Should -BeTrue
        $result.Message | Should -Match 'priority 10 and weight 5'
        (Test-ExchangeSrv -Domain srv-weight.lab.test -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'warns about a target that is an alias (CNAME)' {
        $result = Test-ExchangeSrv -Domain srv-alias.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Warning'
        $result.Message | Should -Match 'alias \(CNAME\) of ex4\.mail\.ovh\.net'
    }

    It 'warns, not errs, when the server asked refuses to answer for a target in another zone' {
        $result = Test-ExchangeSrv -Domain srv-refused.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Warning'
        $result.Message | Should -Match 'Could not verify that SRV target autodiscover\.unserved\.example resolves'
    }

    It 'checks every record when there are several' {
        $result = Test-ExchangeSrv -Domain srv-two.lab.test -Provider OvhEurope -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Records.Count | Should -Be 2
        @($result.Steps | Where-Object Name -like 'Resolve *').Count | Should -Be 2
    }

    It 'exports to CSV with readable cells' {
        $path = Join-Path $TestDrive 'srv.csv'
        Test-ExchangeSrv -Domain ovh-ok.lab.test -DnsServer $dns | Export-Csv -Path $path -NoTypeInformation
        $row = Import-Csv -Path $path
        $row.Records | Should -Be '0 0 443 ex4.mail.ovh.net'
        $row.Status | Should -Be 'Passed'
    }
}
