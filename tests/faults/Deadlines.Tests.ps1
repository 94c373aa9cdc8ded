# Every cmdlet ends within -TimeoutSeconds + 1 s against a black hole: a TCP port whose listener
# never accepts (the kernel completes the handshake, then nothing is ever said) and a UDP DNS port
# that never answers. A result, never an exception; the slowest of each is printed for the notes.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot '../Pester/LabHelpers.ps1')
    . (Join-Path $PSScriptRoot '../Pester/ReportHelpers.ps1')

    $script:timeout = 2
    $script:allowed = [timespan]::FromSeconds($timeout + 1)
    $script:credential = New-LabCredential healthy@post.lab.test
    $script:apiSecret = ConvertTo-SecureString 'not-a-real-secret' -AsPlainText -Force

    # Listeners that never accept: connections wait in the backlog, every byte sent is left unread.
    $script:silentTcp = 1..2 | ForEach-Object {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(64)
        $listener
    }
    $script:tcp1 = "127.0.0.1:$($silentTcp[0].LocalEndpoint.Port)"
    $script:tcp2 = "127.0.0.1:$($silentTcp[1].LocalEndpoint.Port)"
    $script:port1 = $silentTcp[0].LocalEndpoint.Port
    $script:silentUdp = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 0))
    $script:silentDns = "127.0.0.1:$($silentUdp.Client.LocalEndPoint.Port)"

    # Runs a cmdlet call, returns its results and how long it took; an error record fails the test.
    function Measure-Deadline([scriptblock] $Call) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(& $Call -ErrorAction Stop)
        $clock.Stop()
        Write-Host ("      {0,-60} {1,6:0} ms" -f $Call.ToString().Trim().Split(' ')[0], $clock.Elapsed.TotalMilliseconds)
        [pscustomobject]@{ Results = $results; Elapsed = $clock.Elapsed }
    }
}

AfterAll {
    $silentTcp | ForEach-Object { $_.Stop() }
    $silentUdp.Dispose()
}

Describe 'Deadlines against a black hole, -TimeoutSeconds 2' {
    It '<Name> ends within the timeout + 1 s with an Error result' -ForEach @(
        @{ Name = 'Test-ExchangeMx (silent DNS)'; Call = { Test-ExchangeMx -Domain post.lab.test -DnsServer $silentDns -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeSrv (silent DNS)'; Call = { Test-ExchangeSrv -Domain lab.test -DnsServer $silentDns -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeInboundSmtp (silent DNS)'; Call = { Test-ExchangeInboundSmtp -Recipient healthy@post.lab.test -DnsServer $silentDns -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeAutodiscover (silent DNS)'; Call = { Test-ExchangeAutodiscover -EmailAddress healthy@lab.test -Credential $credential -DnsServer $silentDns -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeCertificate (silent TLS)'; Call = { Test-ExchangeCertificate -Server 127.0.0.1 -Port $port1 -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeCertificate (silent STARTTLS)'; Call = { Test-ExchangeCertificate -Server 127.0.0.1 -Port $port1 -StartTls Smtp -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeOwaLogin (silent HTTPS)'; Call = { Test-ExchangeOwaLogin -Url "https://$tcp1/owa/" -Credential $credential -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeEwsLogin (silent HTTPS)'; Call = { Test-ExchangeEwsLogin -Url "https://$tcp1/EWS/Exchange.asmx" -Credential $credential -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeSmtpSend (silent SMTP)'; Call = { Test-ExchangeSmtpSend -Server 127.0.0.1 -Port $port1 -Credential $credential -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeImapLogin (silent IMAP)'; Call = { Test-ExchangeImapLogin -Server 127.0.0.1 -Port $port1 -Credential $credential -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeMailFlow (silent SMTP and IMAP)'; Call = { Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential $credential -SmtpServer $tcp1 -ImapServer $tcp2 -TimeoutSeconds $timeout } }
        @{ Name = 'Test-ExchangeMailFlow (real SMTP, silent IMAP)'; Call = { Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential $credential -SmtpServer mail.lab.test -ImapServer $tcp2 -DnsServer $dns -TimeoutSeconds $timeout } }
        @{ Name = 'Get-ExchangeAccountState (silent API)'; Call = { Get-ExchangeAccountState -EmailAddress healthy@lab.test -Endpoint "https://$tcp1/1.0" -ApplicationKey k -ApplicationSecret $apiSecret -ConsumerKey $apiSecret -TimeoutSeconds $timeout } }
        @{ Name = 'Invoke-ExchangeDiagnosticOvh (silent API)'; Call = { Invoke-ExchangeDiagnosticOvh -EmailAddress healthy@post.lab.test -Credential $credential -Endpoint "https://$tcp1/1.0" -ApplicationKey k -ApplicationSecret $apiSecret -ConsumerKey $apiSecret -TimeoutSeconds $timeout } }
    ) {
        $run = Measure-Deadline $Call

        $run.Elapsed | Should -BeLessThan $allowed
        $run.Results | Should -Not -BeNullOrEmpty
        foreach ($result in $run.Results) {
            $result.Status | Should -Be 'Error' -Because $result.Message
        }
    }

    It 'Invoke-ExchangeDiagnostic against a silent DNS server gives its report, each check within the timeout + 1 s' {
        $run = Measure-Deadline { Invoke-ExchangeDiagnostic -EmailAddress healthy@post.lab.test -Credential $credential -DnsServer $silentDns -TimeoutSeconds $timeout }

        $run.Results | Should -HaveCount 1
        $report = $run.Results[0]
        $report.Status | Should -Be 'Error'
        $report.Results | Should -Not -BeNullOrEmpty
        foreach ($check in $report.Results) {
            $check.Duration | Should -BeLessThan $allowed -Because "$($check.Check) $($check.Target)"
        }
        # The DNS probes run side by side, then the DNS cause skips the rest: about one timeout in all.
        $run.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(2 * $timeout + 1))
    }

    It '<Name> against a silent API ends within the timeout + 1 s with an error' -ForEach @(
        @{ Name = 'Connect-ExchangeDiagOvh'; Call = { Connect-ExchangeDiagOvh -Endpoint "https://$tcp1/1.0" -ApplicationKey k -ApplicationSecret $apiSecret -ConsumerKey $apiSecret -TimeoutSeconds $timeout } }
        @{ Name = 'New-ExchangeSupportTicket'; Call = { New-ExchangeSupportTicket -Report (New-TestReport) -Endpoint "https://$tcp1/1.0" -ApplicationKey k -ApplicationSecret $apiSecret -ConsumerKey $apiSecret -TimeoutSeconds $timeout -Confirm:$false } }
    ) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { & $Call -ErrorAction Stop } | Should -Throw
        $clock.Elapsed | Should -BeLessThan $allowed
        Write-Host ("      {0,-60} {1,6:0} ms" -f $Name, $clock.Elapsed.TotalMilliseconds)
    }
}
