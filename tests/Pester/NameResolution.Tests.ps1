# Host names to connect to resolve like every other program's: through the operating system
# (hosts file, search domains, split DNS) unless -DnsServer names the servers to ask. `localhost`
# is the one name every machine's hosts file maps and no DNS server answers.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . $PSScriptRoot/LabHelpers.ps1
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS

    # Accepts connections (the kernel does, from the backlog) and never says a word: enough to
    # prove the name resolved and the connection was made.
    $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $script:listener.Start()
    $script:port = $script:listener.LocalEndpoint.Port
}

AfterAll {
    $script:listener.Stop()
}

Describe 'Resolving the servers to connect to' {
    It 'resolves -Server through the operating system without -DnsServer, and says so in the step' {
        $result = Test-ExchangeCertificate -Server localhost -Port $port -TimeoutSeconds 2
        $resolved = $result.Steps | Where-Object Name -eq 'DNS localhost'
        $resolved.Status | Should -Be 'Passed'
        $resolved.Detail | Should -Match '127\.0\.0\.1.*operating system resolver'
        ($result.Steps | Where-Object Name -eq "TCP localhost:$port" | Where-Object Status -eq 'Passed').Detail | Should -Be 'connected to 127.0.0.1'
    }

    It 'resolves an OWA server through the operating system too' {
        $result = Test-ExchangeOwaLogin -Url "https://localhost:$port/owa/" -Credential (New-LabCredential healthy@lab.test) -TimeoutSeconds 2
        ($result.Steps | Where-Object Name -eq 'DNS localhost').Detail | Should -Match 'operating system resolver'
        $result.Steps | Where-Object Name -eq "TCP localhost:$port" | Where-Object Status -eq 'Passed' | Should -Not -BeNullOrEmpty
    }

    It 'asks only the -DnsServer servers when given, as before, and names them in the step' {
        $notInLab = Test-ExchangeCertificate -Server localhost -Port $port -DnsServer $dns -TimeoutSeconds 2
        $notInLab.Cause | Should -Be 'Unreachable'
        ($notInLab.Steps | Where-Object Name -eq 'DNS localhost').Status | Should -Not -Be 'Passed'

        $inLab = Test-ExchangeCertificate -Server ex1.lab.test -DnsServer $dns
        ($inLab.Steps | Where-Object Name -eq 'DNS ex1.lab.test').Detail | Should -Be "127.0.0.90 (DNS $dns)"
    }
}
