# Behaviour that Test-ExchangeMx, Test-ExchangeSrv and Test-ExchangeSpf share: DNS servers, failures of DNS itself,
# pipelines, -Quiet, -Verbose and Ctrl+C. Each test runs for each cmdlet.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS

    # A UDP socket that takes DNS queries and never answers: a server that times out.
    $script:blackHole = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]'127.0.0.79', 5300))
    $script:blackHoleServer = '127.0.0.79:5300'
}

AfterAll {
    $blackHole.Dispose()
}

Describe '<Command> (shared DNS check behaviour)' -ForEach @(
    @{ Command = 'Test-ExchangeMx'; Good = 'ovh-ok.lab.test'; Bad = 'ovh-foreign.lab.test'; Query = 'MX ovh-ok.lab.test' }
    @{ Command = 'Test-ExchangeSrv'; Good = 'ovh-ok.lab.test'; Bad = 'ovh-foreign.lab.test'; Query = 'SRV _autodiscover._tcp.ovh-ok.lab.test' }
    @{ Command = 'Test-ExchangeSpf'; Good = 'ok.spf.test'; Bad = 'plusall.spf.test'; Query = 'TXT ok.spf.test' }
) {
    Context '-DnsServer' {
        It 'asks the server given as host, host:port or [IPv6]:port' -ForEach @(
            @{ Server = $env:EXCHANGEDIAG_LAB_DNS }
            @{ Server = $env:EXCHANGEDIAG_LAB_DNS_V6 }
            @{ Server = $env:EXCHANGEDIAG_LAB_DNS_PORT53 }
        ) {
            $result = & $Command -Domain $Good -Provider OvhEurope -DnsServer $Server
            $result.Status | Should -Be 'Passed'
            $result.Steps[0].Detail | Should -Match ([regex]::Escape("asked of $Server"))
        }

        It 'stops before asking anything when a -DnsServer value is not valid' {
            { & $Command -Domain $Good -DnsServer '127.0.0.1:99999' -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidDnsServer,ExchangeDiag.Commands.$($Command -replace '-', '')Command"
        }
    }

    Context 'DNS that cannot answer is an Error naming the server, never a finding' {
        It 'reports SERVFAIL as Error DnsUnavailable' {
            $result = & $Command -Domain x.broken.test -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Passed | Should -BeFalse
            $result.Cause | Should -Be 'DnsUnavailable'
            $result.Message | Should -Match ([regex]::Escape($dns))
            $result.Message | Should -Match 'SERVFAIL'
        }

        It 'reports REFUSED as Error LocalDnsFailure: the server asked will not answer this computer for the domain' {
            $result = & $Command -Domain unserved.example -DnsServer $dns
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'LocalDnsFailure'
            $result.Message | Should -Match 'REFUSED'
            $result.Remediation | Should -Match '-DnsServer'
        }

        It 'gives up on a server that never answers within -TimeoutSeconds, and blames the server, not the domain' {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $result = & $Command -Domain $Good -DnsServer $blackHoleServer -TimeoutSeconds 2
            $clock.Stop()
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'LocalDnsFailure'
            $result.Message | Should -Match ([regex]::Escape("$blackHoleServer did not answer at all"))
            $result.Message | Should -Match 'this computer'
            ($result.Steps | Where-Object Name -eq 'DNS server').Detail | Should -Match '^NS \. asked of'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
        }

        It 'asks a dead server about the root zone once per invocation, however many domains' {
            $results = 1..20 | ForEach-Object { 'bench{0:D4}.lab.test' -f $_ } | & $Command -DnsServer $blackHoleServer -TimeoutSeconds 2 -ThrottleLimit 20 -Verbose 4>&1
            $asked = @($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*DNS NS .: asking*' })
            $asked.Count | Should -Be 1
            ($results | Where-Object { $_ -is [ExchangeDiag.CheckResult] }).Cause | Sort-Object -Unique | Should -Be 'LocalDnsFailure'
        }

        It 'asks the next server in time when the first one never answers' {
            $result = & $Command -Domain $Good -Provider OvhEurope -DnsServer $blackHoleServer, $dns -TimeoutSeconds 4
            $result.Status | Should -Be 'Passed'
        }

        It 'gives up on an address where nothing listens, as this computer''s DNS fault' {
            $result = & $Command -Domain $Good -DnsServer '127.0.0.80:5300' -TimeoutSeconds 2
            $result.Status | Should -Be 'Error'
            $result.Cause | Should -Be 'LocalDnsFailure'
        }
    }

    Context 'pipelines' {
        It 'returns the results in input order while checking concurrently' {
            $domains = 1..120 | ForEach-Object { 'bench{0:D4}.lab.test' -f (121 - $_) }
            $domains += $Bad, $Good
            $results = $domains | & $Command -DnsServer $dns -ThrottleLimit 8
            $results.Target | Should -Be $domains
        }

        It 'writes a non-terminating InvalidArgument error for each input that is not a domain, and goes on' {
            $inputs = $Good, 'not a domain!', '', ('a' * 250 + '.com'), $Bad
            $results = $inputs | & $Command -DnsServer $dns -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.Target | Should -Be @($Good, $Bad)
            $problems.Count | Should -Be 3
            $problems | ForEach-Object {
                $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $_.FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
            }
            $problems.TargetObject | Should -Be $inputs[1..3]
            $problems[0].Exception.Message | Should -Match "'not a domain!' is not a domain name"
        }

        It 'returns only $true or $false per input with -Quiet, one answer for each input' {
            $answers = $Good, 'not a domain!', $Bad | & $Command -Provider OvhEurope -DnsServer $dns -Quiet -ErrorAction SilentlyContinue
            $answers | Should -HaveCount 3
            $answers[0] | Should -BeOfType [bool]
            $answers | Should -Be @($true, $false, $false)
        }

        It 'writes errors in input order, between the results' {
            $stream = $Good, 'not a domain!', $Bad | & $Command -DnsServer $dns -ErrorAction Continue 2>&1
            $stream[0] | Should -BeOfType ([ExchangeDiag.CheckResult])
            $stream[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $stream[2].Target | Should -Be $Bad
        }
    }

    Context '-Verbose' {
        It 'shows each query, the server asked and the answer''s code' {
            $verbose = & $Command -Domain $Good -DnsServer $dns -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Should -Contain "Asking $dns (from -DnsServer)."
            $verbose.Message | Should -Contain "DNS ${Query}: asking $dns"
            ($verbose.Message -match ([regex]::Escape("DNS $Query asked of ${dns}: NOERROR"))) | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Ctrl+C' {
        It 'stops within a second even while a server keeps it waiting' {
            $session = [initialsessionstate]::CreateDefault2()
            $session.ImportPSModule($env:EXCHANGEDIAG_MODULE)
            $shell = [powershell]::Create($session)
            try {
                $null = $shell.AddCommand($Command).AddParameter('Domain', @($Good, $Bad)).
                    AddParameter('DnsServer', $blackHoleServer).AddParameter('TimeoutSeconds', 60)
                $running = $shell.BeginInvoke()
                Start-Sleep -Milliseconds 500
                $shell.InvocationStateInfo.State | Should -Be 'Running'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Stop()
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
                $running.IsCompleted | Should -BeTrue
            }
            finally {
                $shell.Dispose()
            }
        }
    }
}
