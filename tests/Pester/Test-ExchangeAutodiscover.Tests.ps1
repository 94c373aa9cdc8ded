# Test-ExchangeAutodiscover against the Exchange emulator. Each lab domain reaches the emulator by
# exactly one [MS-OXDISCO] method (tests/lab/DnsLab.psm1 and exchange-lab.json).

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:healthy = New-LabCredential healthy@lab.test
}

Describe 'Test-ExchangeAutodiscover' {
    BeforeEach {
        Reset-Lab
    }

    It 'finds the settings by <Method> alone' -ForEach @(
        @{ Address = 'user@ad-root.lab.test'; Method = 'DomainRoot' }
        @{ Address = 'user@ad-sub.lab.test'; Method = 'AutodiscoverHost' }
        @{ Address = 'user@ad-http.lab.test'; Method = 'HttpRedirect' }
        @{ Address = 'user@ad-srv.lab.test'; Method = 'SrvRecord' }
    ) {
        $result = Test-ExchangeAutodiscover -EmailAddress $Address -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Method | Should -Be $Method
        $result.EwsUrl | Should -Be 'https://ex1.lab.test/EWS/Exchange.asmx'
        $result.OwaUrl | Should -Be 'https://ex1.lab.test/owa/'
        $result.Server | Should -Be 'ex1.lab.test'
        $result.JsonEwsUrl | Should -Match '^https://.+/EWS/Exchange\.asmx$'
    }

    It 'tries the methods in the [MS-OXDISCO] order, recording each candidate' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-srv.lab.test -Credential $healthy -DnsServer $dns
        $methods = @($result.Steps | Where-Object { $_.Name -in 'DomainRoot', 'AutodiscoverHost', 'HttpRedirect', 'SrvRecord' } | Select-Object -ExpandProperty Name -Unique)
        $methods | Should -Be @('DomainRoot', 'AutodiscoverHost', 'SrvRecord')
        ($result.Steps | Where-Object Name -eq 'DNS ad-srv.lab.test').Detail | Should -Match 'no A or AAAA'
        ($result.Steps | Where-Object Name -eq 'SrvRecord' | Select-Object -First 1).Detail | Should -Match 'ex1\.lab\.test port 443'
    }

    It 'never sends credentials over plain HTTP, and warns about the redirect it follows' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-http.lab.test -Credential $healthy -DnsServer $dns
        ($result.Steps | Where-Object { $_.Name -eq 'HttpRedirect' -and $_.Status -eq 'Warning' }) | Should -Not -BeNullOrEmpty
        (Invoke-RestMethod "$control/plain-http-credentials").count | Should -Be 0
    }

    It 'does not follow an HTTP redirect to a non-HTTPS address' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-badredirect.lab.test -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AutodiscoverFailed'
        ($result.Steps | Where-Object { $_.Name -eq 'HttpRedirect' -and $_.Status -eq 'Failed' }).Detail | Should -Match 'not followed'
        (Invoke-RestMethod "$control/plain-http-credentials").count | Should -Be 0
    }

    It 'follows a redirectAddr to the other address' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-addr.lab.test -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Redirects | Should -Be 1
        $result.Method | Should -Be 'AutodiscoverHost'
        ($result.Steps | Where-Object Name -eq 'Redirect').Detail | Should -Contain 'redirectAddr to user@ad-sub.lab.test (1 of at most 10)'
        ($result.Steps | Where-Object { $_.Name -eq 'Redirect' -and $_.Status -eq 'Warning' }).Detail | Should -Match 'another domain, ad-sub\.lab\.test'
    }

    It 'follows a redirectUrl to an HTTPS Autodiscover URL' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-url.lab.test -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Redirects | Should -Be 1
        $result.Url | Should -Be 'https://autodiscover.ad-sub.lab.test/autodiscover/autodiscover.xml'
        ($result.Steps | Where-Object { $_.Name -eq 'Redirect' -and $_.Status -eq 'Warning' }).Detail | Should -Match 'another host, autodiscover\.ad-sub\.lab\.test'
    }

    It 'stops a redirect loop' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-loop.lab.test -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AutodiscoverFailed'
        $result.Message | Should -Match 'redirect loop'
    }

    It 'explains an Autodiscover error code' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-err.lab.test -Credential $healthy -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AutodiscoverFailed'
        $result.Message | Should -Match 'not known to this server \(500\)'
    }

    It 'fails with AutodiscoverFailed when no method yields settings' {
        $result = Test-ExchangeAutodiscover -EmailAddress user@nope.lab.test -Credential $healthy -DnsServer $dns -TimeoutSeconds 20
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AutodiscoverFailed'
        $result.Method | Should -Be 'None'
    }

    It 'stops at the first refused credential, so that discovery cannot lock the account' {
        # The domain root refuses it; without the stop, the SRV record would lead to a second refusal.
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-401.lab.test -Credential (New-LabCredential lockme@lab.test 'Wrong-Horse-9') -DnsServer $dns
        $result.Cause | Should -Be 'WebmailAuthFailed'
        ($result.Steps | Where-Object Name -eq 'SrvRecord') | Should -BeNullOrEmpty
        (Get-LabAccount lockme@lab.test).failedLogins | Should -Be 1
        (Test-ExchangeAutodiscover -EmailAddress user@ad-401.lab.test -Credential $healthy -DnsServer $dns).Method | Should -Be 'DomainRoot'
    }

    It 'rejects an input that is not an e-mail address' {
        $null = 'not-an-address' | Test-ExchangeAutodiscover -Credential $healthy -DnsServer $dns -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEmailAddress,*'
    }
}
