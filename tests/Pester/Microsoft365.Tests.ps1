# -Provider Microsoft365 against NSD on loopback, serving tests/lab/zones/m365.test.zone and the lab's
# outlook.com and mx.microsoft zones (which answer for Microsoft 365's MX hosts there, and only there).

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS

    function Test-M365([string] $Command, [string] $Name) {
        & $Command -Domain "$Name.m365.test" -Provider Microsoft365 -DnsServer $script:dns
    }
}

Describe 'Test-ExchangeMx -Provider Microsoft365' {
    It 'passes the one MX host Microsoft 365 gives the domain: <Name> (<MxHost>)' -ForEach @(
        @{ Name = 'ok'; MxHost = 'ok-m365-test.mail.protection.outlook.com' }
        @{ Name = 'dnssec'; MxHost = 'dnssec-m365-test.o-v1.mx.microsoft' }
        @{ Name = 'my-shop'; MxHost = 'myshop-m365-test01b.mail.protection.outlook.com' }
    ) {
        $result = Test-M365 Test-ExchangeMx $Name
        $result.Status | Should -Be 'Passed'
        $result.Cause | Should -Be 'None'
        $result.Records.Exchange | Should -Be $MxHost
        $result.Records.Preference | Should -Be 0
    }

    It 'names the expected host for each domain in Expected' {
        (Test-M365 Test-ExchangeMx ok).Expected | Should -Be 'ok-m365-test.mail.protection.outlook.com'
        (Test-M365 Test-ExchangeMx my-shop).Expected | Should -Be 'myshop-m365-test<nnx>.mail.protection.outlook.com'
    }

    It 'fails an MX to another host, naming the value to set and where Microsoft 365 shows it' {
        $result = Test-M365 Test-ExchangeMx wrongmx
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'MxInvalid'
        $result.Message | Should -Be 'MX points to mx.other.test, which is not the Microsoft 365 MX host of the domain.'
        $result.Remediation | Should -Match 'give wrongmx\.m365\.test a single MX record: wrongmx-m365-test\.mail\.protection\.outlook\.com \(preference 0\)'
        $result.Remediation | Should -Match 'Microsoft 365 admin center'
    }

    It 'warns of another domain''s Microsoft 365 host: mail likely arrives, but it is not the domain''s value' {
        $result = Test-M365 Test-ExchangeMx othertenant
        $result.Status | Should -Be 'Warning'
        $result.Cause | Should -Be 'MxInvalid'
        $result.Message | Should -Match 'fabrikam-com\.mail\.protection\.outlook\.com, a host of the same provider'
        $result.Remediation | Should -Match 'othertenant-m365-test\.mail\.protection\.outlook\.com'
    }
}

Describe 'Test-ExchangeSrv -Provider Microsoft365' {
    It 'passes a domain without SRV record whose autodiscover name is an alias of autodiscover.outlook.com' {
        $result = Test-M365 Test-ExchangeSrv ok
        $result.Status | Should -Be 'Passed'
        $result.Cause | Should -Be 'None'
        $result.Records | Should -BeNullOrEmpty
        $result.AutodiscoverCname | Should -Be 'autodiscover.outlook.com'
        $result.Message | Should -Be 'autodiscover.ok.m365.test is an alias of autodiscover.outlook.com, as Microsoft 365 documents; no _autodiscover._tcp.ok.m365.test SRV record is needed.'
        $result.Steps.Detail | Should -Contain 'No _autodiscover._tcp.ok.m365.test SRV record: Microsoft 365 does not use one (clients find Autodiscover through the autodiscover CNAME).'
        $result.Expected | Should -BeLike 'autodiscover.ok.m365.test CNAME autodiscover.outlook.com; *'
    }

    It 'passes an SRV record that points to autodiscover.outlook.com' {
        $result = Test-M365 Test-ExchangeSrv srvok
        $result.Status | Should -Be 'Passed'
        $result.Records.Target | Should -Be 'autodiscover.outlook.com'
    }

    It 'warns of an SRV record that points elsewhere: Outlook may follow it' {
        $result = Test-M365 Test-ExchangeSrv srvforeign
        $result.Status | Should -Be 'Warning'
        $result.Passed | Should -BeTrue
        $result.Cause | Should -Be 'SrvInvalid'
        $result.Message | Should -Match 'points to ex4\.mail\.ovh\.net on port 443; Microsoft 365 does not use this record'
        $result.Remediation | Should -Match 'SRV 0 0 443 autodiscover\.outlook\.com\.'
    }

    It 'fails <Name>: <Why>' -ForEach @(
        @{ Name = 'nocname'; Why = 'no autodiscover name'; Message = 'autodiscover.nocname.m365.test does not exist*' }
        @{ Name = 'arecord'; Why = 'an autodiscover host of its own'; Message = 'autodiscover.arecord.m365.test is not an alias (CNAME) of autodiscover.outlook.com*' }
        @{ Name = 'wrongcname'; Why = 'an alias of another host'; Message = 'autodiscover.wrongcname.m365.test is an alias (CNAME) of ex4.mail.ovh.net, not of autodiscover.outlook.com*' }
    ) {
        $result = Test-M365 Test-ExchangeSrv $Name
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AutodiscoverCnameInvalid'
        $result.Message | Should -BeLike $Message
        $result.Remediation | Should -Match "autodiscover\.$([regex]::Escape($Name))\.m365\.test\. CNAME autodiscover\.outlook\.com\."
    }

    It 'still checks the SRV record alone with -ExpectedTarget' {
        $result = Test-ExchangeSrv -Domain ok.m365.test -Provider Microsoft365 -ExpectedTarget autodiscover.outlook.com -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'SrvInvalid'
        $result.AutodiscoverCname | Should -BeNullOrEmpty
    }
}

Describe 'Test-ExchangeSpf -Provider Microsoft365' {
    It 'passes the include Microsoft 365 documents, and fails a record without it' {
        (Test-M365 Test-ExchangeSpf ok).Status | Should -Be 'Passed'
        $result = Test-ExchangeSpf -Domain ok.spf.test -Provider Microsoft365 -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Message | Should -Match 'does not include spf\.protection\.outlook\.com: mail sent through Microsoft 365 fails SPF'
    }
}

Describe 'Invoke-ExchangeDiagnostic for a Microsoft 365 mailbox' {
    It 'asks Exchange Online''s own servers and sends them no password: BasicAuthDisabled, not a wrong password' {
        $report = Invoke-ExchangeDiagnostic -EmailAddress adele@ok.m365.test -Credential ([pscredential]::new('adele@ok.m365.test', (ConvertTo-SecureString 'Correct-Horse-1' -AsPlainText -Force))) -SkipMailFlow -SkipDomainAuthentication -DnsServer $dns -TimeoutSeconds 10
        $report.Provider | Should -Be 'Microsoft365'
        # First: Exchange Online's servers are not reachable from this lab, a cause of its own after it.
        $report.Causes[0].Cause | Should -Be 'BasicAuthDisabled'
        $report.Causes.Cause | Should -Not -Contain 'WrongPassword'
        # SMTP AUTH still takes a password where the tenant allows it (MC786329): only it is tried.
        $logins = $report.Results | Where-Object Check -in 'OwaLogin', 'ImapLogin'
        $logins | Should -HaveCount 2
        foreach ($login in $logins) {
            $login.Cause | Should -Be 'BasicAuthDisabled'
            $login.Steps.Name | Should -Not -Match '^(TCP|DNS) '
        }
        ($report.Results | Where-Object Check -eq 'SmtpSend').Target | Should -Match '^smtp\.office365\.com'
    }
}

