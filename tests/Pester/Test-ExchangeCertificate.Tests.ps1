# Test-ExchangeCertificate against the emulator's listeners, one per certificate case, with
# certificates from a lab CA that only the test process trusts (SSL_CERT_FILE).

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
}

Describe 'Test-ExchangeCertificate' {
    It 'passes a valid certificate and reports its facts' {
        $result = Test-ExchangeCertificate -Server ex1.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.NameMatches | Should -BeTrue
        $result.ChainValid | Should -BeTrue
        $result.DnsNames | Should -Contain 'ex1.lab.test'
        $result.Issuer | Should -Match 'ExchangeDiag Lab CA'
        $result.DaysUntilExpiry | Should -BeGreaterThan 300
        $result.Protocol | Should -Match '^Tls1[23]$'
        ($result.Steps | Where-Object Name -eq 'Revocation') | Should -BeNullOrEmpty -Because 'the lab publishes its CRL, so revocation is known'
    }

    It 'fails <Server>: <Problem>' -ForEach @(
        @{ Server = 'expired.lab.test'; Problem = 'expired on' }
        @{ Server = 'notyet.lab.test'; Problem = 'not valid before' }
        @{ Server = 'selfsigned.lab.test'; Problem = 'not trusted \(UntrustedRoot' }
        @{ Server = 'revoked.lab.test'; Problem = 'revoked by its issuer' }
        @{ Server = 'wrongname.lab.test'; Problem = 'issued for other-name\.lab\.test' }
    ) {
        $result = Test-ExchangeCertificate -Server $Server -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'CertificateInvalid'
        $result.Message | Should -Match $Problem
    }

    It 'reports the name mismatch in NameMatches and an untrusted root in ChainValid' {
        (Test-ExchangeCertificate -Server wrongname.lab.test -DnsServer $dns).NameMatches | Should -BeFalse
        (Test-ExchangeCertificate -Server selfsigned.lab.test -DnsServer $dns).ChainValid | Should -BeFalse
    }

    It 'warns about a certificate that expires within -WarningDays, and not otherwise' {
        $result = Test-ExchangeCertificate -Server expiring.lab.test -DnsServer $dns
        $result.Status | Should -Be 'Warning'
        $result.Message | Should -Match 'expires in \d+ days'
        (Test-ExchangeCertificate -Server expiring.lab.test -DnsServer $dns -WarningDays 5).Status | Should -Be 'Passed'
    }

    It 'reports a port where nothing listens as Error Unreachable' {
        $result = Test-ExchangeCertificate -Server ex1.lab.test -Port 8443 -DnsServer $dns -TimeoutSeconds 5
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'Unreachable'
        $result.Target | Should -Be 'ex1.lab.test:8443'
    }

    It 'reports plain HTTP on a port as a failed handshake, not a certificate' {
        $result = Test-ExchangeCertificate -Server 127.0.0.95 -Port 80 -DnsServer $dns -TimeoutSeconds 5
        $result.Status | Should -Be 'Error'
        ($result.Steps | Where-Object Name -eq 'TLS handshake').Status | Should -Be 'Error'
    }

    It 'reaches TLS through STARTTLS on <Service> (port <Port>)' -ForEach @(
        @{ Service = 'SMTP submission'; Server = 'mail.lab.test'; Port = 587; StartTls = 'Smtp' }
        @{ Service = 'SMTP inbound'; Server = 'mail.lab.test'; Port = 25; StartTls = 'Smtp' }
        @{ Service = 'IMAP'; Server = 'imap.lab.test'; Port = 143; StartTls = 'Imap' }
        @{ Service = 'IMAPS'; Server = 'imap.lab.test'; Port = 993; StartTls = 'None' }
        @{ Service = 'POP3'; Server = 'imap.lab.test'; Port = 110; StartTls = 'Pop' }
        @{ Service = 'POP3S'; Server = 'imap.lab.test'; Port = 995; StartTls = 'None' }
    ) {
        $result = Test-ExchangeCertificate -Server $Server -Port $Port -StartTls $StartTls -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.DnsNames | Should -Contain 'mail.lab.test'
        if ($StartTls -ne 'None') { ($result.Steps | Where-Object Name -eq 'STARTTLS').Status | Should -Be 'Passed' }
    }

    It 'takes <Server> as host:port and upgrades with STARTTLS <StartTls> by port, without -StartTls' -ForEach @(
        @{ Server = 'mail.lab.test:587'; Port = 587; StartTls = 'Smtp' }
        @{ Server = 'mail.lab.test:25'; Port = 25; StartTls = 'Smtp' }
        @{ Server = 'imap.lab.test:143'; Port = 143; StartTls = 'Imap' }
        @{ Server = 'imap.lab.test:993'; Port = 993; StartTls = 'None' }
        @{ Server = 'imap.lab.test:110'; Port = 110; StartTls = 'Pop' }
    ) {
        $result = Test-ExchangeCertificate $Server -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Port | Should -Be $Port
        $result.StartTls | Should -Be $StartTls
        $result.Target | Should -Be $Server
        if ($StartTls -ne 'None') { ($result.Steps | Where-Object Name -eq 'STARTTLS').Status | Should -Be 'Passed' }
    }

    It 'chooses STARTTLS by -Port too, and a port in the server value wins over -Port' {
        (Test-ExchangeCertificate -Server mail.lab.test -Port 587 -DnsServer $dns).StartTls | Should -Be 'Smtp'
        $result = Test-ExchangeCertificate -Server imap.lab.test:143 -Port 993 -DnsServer $dns
        $result.Port | Should -Be 143
        $result.Status | Should -Be 'Passed'
    }

    It 'takes -Security, the TLS parameter of the mail cmdlets: <Security> on <Server> speaks <StartTls>' -ForEach @(
        @{ Security = 'StartTls'; Server = 'mail.lab.test:587'; StartTls = 'Smtp' }
        @{ Security = 'StartTls'; Server = 'imap.lab.test:110'; StartTls = 'Pop' }
        @{ Security = 'SslOnConnect'; Server = 'imap.lab.test:995'; StartTls = 'None' }
        @{ Security = 'Auto'; Server = 'imap.lab.test:143'; StartTls = 'Imap' }
    ) {
        $result = Test-ExchangeCertificate $Server -Security $Security -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.StartTls | Should -Be $StartTls
    }

    It 'refuses -Security StartTls on a port with no known protocol, naming -StartTls, and goes on with the next' {
        $results = Test-ExchangeCertificate 'mail.lab.test:2525', 'mail.lab.test:587' -Security StartTls -DnsServer $dns -ErrorVariable bad -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.StartTls | Should -Be 'Smtp'
        $bad[0].FullyQualifiedErrorId | Should -Be 'NoStartTlsProtocol,ExchangeDiag.Commands.TestExchangeCertificateCommand'
        $bad[0].Exception.Message | Should -Match 'add -StartTls Smtp, Imap or Pop'
        # -StartTls names the protocol for such a port.
        (Test-ExchangeCertificate mail.lab.test:587 -Security StartTls -StartTls Smtp -DnsServer $dns).Status | Should -Be 'Passed'
    }

    It 'stops at once when -Security and -StartTls contradict each other' {
        { Test-ExchangeCertificate mail.lab.test:587 -Security SslOnConnect -StartTls Smtp -DnsServer $dns -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConflictingTlsParameters,ExchangeDiag.Commands.TestExchangeCertificateCommand'
        { Test-ExchangeCertificate mail.lab.test:587 -Security StartTls -StartTls None -DnsServer $dns -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConflictingTlsParameters,ExchangeDiag.Commands.TestExchangeCertificateCommand'
    }

    It 'says in words that a <Protocol> port speaks plain text when -StartTls None is forced' -ForEach @(
        @{ Protocol = 'SMTP'; Server = 'mail.lab.test:587'; Greeting = '220 '; Fix = '-StartTls Smtp' }
        @{ Protocol = 'IMAP'; Server = 'imap.lab.test:143'; Greeting = '\* OK'; Fix = '-StartTls Imap' }
        @{ Protocol = 'POP3'; Server = 'imap.lab.test:110'; Greeting = '\+OK'; Fix = '-StartTls Pop' }
    ) {
        $result = Test-ExchangeCertificate $Server -StartTls None -DnsServer $dns -TimeoutSeconds 10
        $result.Status | Should -Be 'Error'
        $result.Message | Should -Match "answered in plain text, not with TLS: `"$Greeting"
        $result.Message | Should -Not -Match 'frame size'
        $result.Remediation | Should -Match ([regex]::Escape($Fix))
        ($result.Steps | Where-Object Name -eq 'TLS handshake').Detail | Should -Match 'plain text'
    }

    It 'refuses a server value whose port is not a number, and goes on with the next' {
        $results = Test-ExchangeCertificate 'mail.lab.test:smtp', 'mail.lab.test:587' -DnsServer $dns -ErrorVariable bad -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -Be 'InvalidServerName,ExchangeDiag.Commands.TestExchangeCertificateCommand'
        $bad[0].Exception.Message | Should -Match "'smtp' is not a number from 1 to 65535"
    }

    It 'exports to CSV with the names in one cell' {
        $path = Join-Path $TestDrive 'cert.csv'
        Test-ExchangeCertificate -Server ex1.lab.test -DnsServer $dns | Export-Csv -Path $path -NoTypeInformation
        $row = Import-Csv $path
        $row.DnsNames | Should -Match '^ex1\.lab\.test; '
        $row.Status | Should -Be 'Passed'
    }
}
